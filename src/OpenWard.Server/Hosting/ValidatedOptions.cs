using System.Collections;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace OpenWard.Server.Hosting;

/// <summary>
/// How a feature takes its settings: bound from its own <c>OpenWard:…</c> section and checked when
/// the host starts, nested settings and lists of them included, so that a value out of range stops
/// the server with the setting's name instead of surfacing later.
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates it, recursively, at start.</summary>
    public static WebApplicationBuilder AddValidatedOptions<T>(this WebApplicationBuilder builder, string section)
        where T : class
    {
        builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<T>>(new Validation<T>(section));
        return builder;
    }

    /// <summary>The settings as configured, for parts of start-up that run before the options system (validation still happens at start).</summary>
    public static T Read<T>(IConfiguration configuration, string section)
        where T : class, new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    private sealed class Validation<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = new List<string>();
            Check(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        // The object's own annotations, then those of every OpenWard settings object it holds, alone or in a list.
        private static void Check(object settings, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(settings, new ValidationContext(settings), results, validateAllProperties: true);
            failures.AddRange(results.Select(r => $"{path}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
            foreach (var property in settings.GetType().GetProperties().Where(p => p.CanRead && p.GetIndexParameters().Length == 0))
            {
                switch (property.GetValue(settings))
                {
                    case string:
                        break;
                    case IEnumerable items:
                        var index = 0;
                        foreach (var item in items)
                        {
                            if (item is not null && IsSettings(item.GetType()))
                            {
                                Check(item, $"{path}:{property.Name}:{index}", failures);
                            }

                            index++;
                        }

                        break;
                    case { } nested when IsSettings(nested.GetType()):
                        Check(nested, $"{path}:{property.Name}", failures);
                        break;
                }
            }
        }

        private static bool IsSettings(Type type) => type.IsClass && type.Namespace?.StartsWith("OpenWard.", StringComparison.Ordinal) == true;
    }
}
