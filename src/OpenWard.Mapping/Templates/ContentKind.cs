namespace OpenWard.Mapping.Templates;

/// <summary>The content template types a device mapping may hold.</summary>
internal enum ContentKind
{
    /// <summary><c>JsonPathContent</c>: JSONPath expressions evaluated on each matched element.</summary>
    JsonPath,

    /// <summary><c>IotJsonPathContent</c>: device id and time from the IoT Hub event properties.</summary>
    IotJsonPath,

    /// <summary><c>IotCentralJsonPathContent</c>: device id and time from an IoT Central export (<c>deviceId</c>, <c>enqueuedTime</c>).</summary>
    IotCentralJsonPath,

    /// <summary><c>CalculatedContent</c>: JSONPath or JMESPath evaluated on the whole message, the match under <c>matchedToken</c>.</summary>
    Calculated,
}
