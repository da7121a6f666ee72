namespace OpenWard.Simulator.Ward;

/// <summary>
/// Synthetic patient names drawn from a seed, each different from those drawn before until all
/// 480 combinations are used (two patients of one name on a ward is a hazard the demo should not
/// teach). Drawn from a stream of their own, so that names do not change who has which devices.
/// </summary>
public sealed class PatientNames
{
    private const int DemoStream = 7;
    private const int SimulatedStream = 13;

    private static readonly string[] GivenNames =
    [
        "Ada", "Bashir", "Carmen", "Dmitri", "Elif", "Farah", "Gareth", "Hana", "Ivo", "Jun", "Kemi", "Lars",
        "Maeve", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tomasz", "Uma", "Viktor", "Wen", "Yusuf",
    ];

    private static readonly string[] FamilyNames =
    [
        "Okafor", "Lindqvist", "Moreau", "Haddad", "Novak", "Ferreira", "Kowalski", "Tanaka", "O'Brien", "Mensah",
        "Rossi", "Schmidt", "Petrov", "Nguyen", "Castillo", "Byrne", "Sato", "Adeyemi", "Jansen", "Costa",
    ];

    private static readonly int Combinations = GivenNames.Length * FamilyNames.Length;

    private readonly Random random;
    private readonly HashSet<string> used = [];
    private readonly HashSet<string> avoided;
    private readonly string mark;

    /// <summary>The names of a ward drawn from <paramref name="seed"/> (the demo ward's and exported wards').</summary>
    public PatientNames(int seed)
        : this(seed, DemoStream, [], "")
    {
    }

    private PatientNames(int seed, int stream, HashSet<string> avoided, string mark)
    {
        random = new Random(unchecked(seed * 31 + stream));
        this.avoided = avoided;
        this.mark = mark;
    }

    /// <summary>
    /// The names of a ward that <c>openward simulate</c> creates: marked "(simulated)", drawn from a
    /// stream of their own, and none that the demo ward of the same seed or of the default seed has,
    /// so that a simulated ward beside the demo ward never shows the same person twice.
    /// </summary>
    public static PatientNames Simulated(int seed)
    {
        var demo = new HashSet<string>(StringComparer.Ordinal);
        foreach (var demoSeed in new[] { seed, WardPlan.DemoSeed })
        {
            var names = new PatientNames(demoSeed);
            for (var i = 0; i < WardPlan.DemoPatients; i++)
            {
                demo.Add(names.Next());
            }
        }

        return new PatientNames(seed, SimulatedStream, demo, " (simulated)");
    }

    /// <summary>The next name: unused (and not one to avoid) while such names remain.</summary>
    public string Next()
    {
        while (true)
        {
            var name = $"{GivenNames[random.Next(GivenNames.Length)]} {FamilyNames[random.Next(FamilyNames.Length)]}";
            var exhausted = used.Count + avoided.Count >= Combinations;
            if (exhausted || (!avoided.Contains(name) && !used.Contains(name)))
            {
                used.Add(name);
                return name + mark;
            }
        }
    }
}
