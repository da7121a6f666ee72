namespace OpenWard.Server.Gateway;

/// <summary>The connections and uploads every node has taken from one address in one minute (Unix minutes).</summary>
public sealed record AddressCount(long Minute, long Taken);
