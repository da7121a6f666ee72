namespace OpenWard.Server.Ingest;

/// <summary>Registers the ingest pipeline that every way in hands its decoded payloads to.</summary>
public static class IngestSetup
{
    /// <summary>Adds the pipeline.</summary>
    public static WebApplicationBuilder AddIngestPipeline(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IngestPipeline>();
        return builder;
    }
}
