namespace Portal.Tests.TestHost;

/// <summary>Settings for a portal with a second Tencent app at the simulator that always has <c>fault</c>, beside the demo app.</summary>
public static class SimulatorAppSettings
{
    public static Dictionary<string, string?> WithFaultyApp(string name, string accessId, string fault, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["DevStack:TencentSimulator:Apps:1:AccessId"] = accessId,
            ["DevStack:TencentSimulator:Apps:1:Fault"] = fault,
            ["Tencent:Apps:1:Name"] = name,
            ["Tencent:Apps:1:Region"] = "Simulator",
            ["Tencent:Apps:1:AccessId"] = accessId,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }
}
