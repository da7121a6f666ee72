using OpenWard.Mapping.Templates;

namespace OpenWard.Cli.Commands;

/// <summary>Prints what loading a mapping template found: its warnings, and every error with its line.</summary>
public static class TemplateReport
{
    /// <summary>Prints the warnings and errors on stderr; true when the template loaded.</summary>
    public static bool Print<T>(TemplateLoad<T> load, FileInfo file)
        where T : class
    {
        foreach (var warning in load.Warnings)
        {
            Console.Error.WriteLine($"warning: {file.Name}: {warning}");
        }

        foreach (var error in load.Errors)
        {
            Console.Error.WriteLine($"openward: {file.Name}: {error}");
        }

        return load.Template is not null;
    }
}
