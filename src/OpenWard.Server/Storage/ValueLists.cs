using System.Data.Common;
using System.Text.Json;

namespace OpenWard.Server.Storage;

/// <summary>
/// A list of texts as one parameter, for <c>column IN (…)</c> conditions whose list length varies
/// (the patients a clinician may see, say), spelt as each engine spells it: SQLite reads a JSON array
/// with <c>json_each</c>, PostgreSQL takes an array and <c>= ANY</c>.
/// </summary>
public static class ValueLists
{
    /// <summary>
    /// Binds <paramref name="values"/> to <paramref name="name"/> and returns the condition's right-hand
    /// side: <c>$"patient_id {command.InList("@visible", ids)}"</c>.
    /// </summary>
    public static string InList(this DbCommand command, string name, IEnumerable<string> values)
    {
        if (command is Npgsql.NpgsqlCommand)
        {
            command.AddParameter(name, values.ToArray());
            return $"= ANY({name})";
        }

        command.AddParameter(name, JsonSerializer.Serialize(values));
        return $"IN (SELECT value FROM json_each({name}))";
    }
}
