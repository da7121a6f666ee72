using System.Net;
using System.Net.Mail;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenWard.Core.Alerts;

namespace OpenWard.Server.Alerts;

/// <summary>
/// Sends each notice by e-mail over SMTP to the configured recipients. The message names the
/// condition, severity and state and links nothing personal: the patient is given by OpenWard id
/// only, since e-mail leaves the hospital's control.
/// </summary>
public sealed class EmailChannel(IOptions<AlertingOptions> options) : IAlertChannel
{
    private EmailOptions Email => options.Value.Email;

    /// <inheritdoc />
    public string Name => "email";

    /// <inheritdoc />
    public IReadOnlyList<string> Targets => string.IsNullOrEmpty(Email.Host) ? [] : Email.To;

    /// <inheritdoc />
    public async Task<string?> SendAsync(string target, string payload, CancellationToken cancellationToken)
    {
        var notice = JsonSerializer.Deserialize<AlertNotice>(payload, AlertJson.Options)!;
        var alert = notice.Alert;
        using var message = new MailMessage(Email.From, target)
        {
            Subject = $"[OpenWard] {alert.Severity} alert {notice.Change}: {alert.Condition} ({alert.PatientId})",
            Body = $"""
                {alert.Summary}

                Patient: {alert.PatientId}
                State: {AlertNames.Of(alert.State)}, escalated to {alert.EscalatedTo ?? "-"}
                Raised: {alert.RaisedAt:u}
                Alert: {alert.Id}
                """,
        };
        using var client = new SmtpClient(Email.Host, Email.Port) { EnableSsl = Email.UseTls };
        if (Email.UserName is not null)
        {
            client.Credentials = new NetworkCredential(Email.UserName, Email.Password);
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken);
            return null;
        }
        catch (SmtpException exception)
        {
            return exception.Message;
        }
    }
}
