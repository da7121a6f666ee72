namespace OpenWard.Simulator.Ward;

/// <summary>
/// Synthetic patient names drawn from a seed, each different from those drawn before until all
/// 480 combinations are used (two patients of one name on a ward is a hazard the demo should not
/// teach). Drawn from a stream of their own, so that names do not change who has which devices.
/// </summary>
public sealed class PatientNames(int seed)
{
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

    private readonly Random random = new(unchecked(seed * 31 + 7));
    private readonly HashSet<string> used = [];

    /// <summary>The next name: unused while unused ones remain.</summary>
    public string Next()
    {
        while (true)
        {
            var name = $"{GivenNames[random.Next(GivenNames.Length)]} {FamilyNames[random.Next(FamilyNames.Length)]}";
            if (used.Add(name) || used.Count == GivenNames.Length * FamilyNames.Length)
            {
                return name;
            }
        }
    }
}
