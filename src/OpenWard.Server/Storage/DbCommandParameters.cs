using System.Data.Common;

namespace OpenWard.Server.Storage;

/// <summary>Adds parameters to a command through ADO.NET's common types, so that a store's SQL code names no database engine.</summary>
public static class DbCommandParameters
{
    /// <summary>Adds <paramref name="name"/> with <paramref name="value"/>; null is stored as SQL NULL.</summary>
    public static DbParameter AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
