using OpenWard.Core.Scores;

namespace OpenWard.Server.Alerts;

/// <summary>A NEWS2 score in a patient's history.</summary>
public sealed record News2Record(DateTimeOffset At, int Total, string Response, IReadOnlyList<News2Parameter> Parameters);
