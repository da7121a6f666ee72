namespace OpenWard.Server.Gateway;

/// <summary>The failed sign-ins of one device id from one network address (empty: not known), as the store counted them.</summary>
public sealed record PairFailures(string DeviceId, string Address, int Failures, DateTimeOffset LastFailureAt);
