using System.Reflection;

namespace OpenWard.Server.People;

/// <summary>
/// Which passwords OpenWard accepts when one is set or changed: 12 to 200 characters, and not easy to
/// guess — not a common password or word (the list shipped as <c>common-passwords.txt</c>) with numbers
/// or symbols added, not one character or a short pattern repeated, not a run such as 1234… or abcd…,
/// and not containing the user name (NIST SP 800-63B §5.1.1.2).
/// </summary>
public static class PasswordPolicy
{
    /// <summary>The shortest password accepted (NIST SP 800-63B asks for at least 8; clinical systems often ask for more).</summary>
    public const int MinimumLength = 12;

    private const int MaximumLength = 200;

    private static readonly Lazy<HashSet<string>> CommonWords = new(ReadCommonWords);

    /// <summary>Why <paramref name="password"/> is refused for the account <paramref name="userName"/>, or null when it is accepted.</summary>
    public static string? Refusal(string password, string userName)
    {
        if (password.Length is < MinimumLength or > MaximumLength)
        {
            return $"the password must be {MinimumLength} to {MaximumLength} characters";
        }

        var lower = password.ToLowerInvariant();
        if (userName.Trim().Length >= 3 && lower.Contains(userName.Trim().ToLowerInvariant(), StringComparison.Ordinal))
        {
            return "the password is easy to guess: it contains the user name";
        }

        if (lower.Distinct().Count() < 5)
        {
            return "the password is easy to guess: it uses fewer than five different characters";
        }

        if (IsRun(lower))
        {
            return "the password is easy to guess: it is a run of consecutive letters or digits";
        }

        var core = lower.Trim(NotLetters(lower));
        if (CommonWords.Value.Contains(lower) || CommonWords.Value.Contains(core) || CommonWords.Value.Contains(ReadAsLetters(core)))
        {
            return "the password is easy to guess: it is a common password, or a common word with numbers or symbols added; "
                + "a few unrelated words make a good one";
        }

        return null;
    }

    // 123456789012, 9876543210…, abcdefghijkl: each character one step from the one before, always the same way.
    private static bool IsRun(string password)
    {
        int? direction = null;
        for (var i = 1; i < password.Length; i++)
        {
            var step = Step(password[i - 1], password[i]);
            if (step is not (1 or -1) || (direction is { } d && d != step))
            {
                return false;
            }

            direction = step;
        }

        return true;
    }

    private static int Step(char from, char to) =>
        char.IsAsciiDigit(from) && char.IsAsciiDigit(to) ? ((to - from + 10) % 10) switch { 1 => 1, 9 => -1, _ => 0 } : to - from;

    private static char[] NotLetters(string password) => [.. password.Where(c => !char.IsLetter(c)).Distinct()];

    private static string ReadAsLetters(string word) => string.Concat(word.Select(c => c switch
    {
        '0' => 'o',
        '1' or '!' => 'i',
        '3' => 'e',
        '4' or '@' => 'a',
        '5' or '$' => 's',
        '7' => 't',
        _ => c,
    }));

    private static HashSet<string> ReadCommonWords()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("OpenWard.Server.People.common-passwords.txt")
            ?? throw new InvalidOperationException("the list of common passwords is missing from the build");
        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                words.Add(line.Trim());
            }
        }

        return words;
    }
}
