namespace Portal.Packages;

/// <summary>Notices valid accounts that a spreadsheet has probably mangled, counting them and keeping a few line numbers.</summary>
internal sealed class SpreadsheetDamage
{
    private readonly Tally _scientific = new();
    private readonly Tally _formula = new();

    // All-digit accounts by length (index = digits), to find those shorter than the usual length.
    private readonly Tally[] _numericByLength = Enumerable.Range(0, PackageRules.MaxAccountLength + 1).Select(_ => new Tally()).ToArray();

    /// <summary>Called for every valid account, so the common all-digit case is a single array increment.</summary>
    public void Inspect(ReadOnlySpan<byte> account, bool allDigits, long line)
    {
        if (allDigits)
        {
            if (account.Length < _numericByLength.Length)
            {
                _numericByLength[account.Length].Add(line);
            }

            return;
        }

        if (account[0] is (byte)'=' or (byte)'+' or (byte)'-' or (byte)'@')
        {
            _formula.Add(line);
        }

        if (IsScientific(account))
        {
            _scientific.Add(line);
        }
    }

    public IEnumerable<PackageWarning> Warnings()
    {
        if (_scientific.Count > 0)
        {
            yield return _scientific.Warning(WarningKind.ScientificNotation,
                $"{_scientific.Count:N0} accounts look like numbers in scientific notation (such as 1.23457E+15): a spreadsheet shortened them and their digits are lost. Export the column as text.");
        }

        if (LostLeadingZeros() is { } lost)
        {
            yield return lost;
        }

        if (_formula.Count > 0)
        {
            yield return _formula.Warning(WarningKind.FormulaPrefix,
                $"{_formula.Count:N0} accounts start with =, +, - or @, which spreadsheets read as a formula; check they are meant so. The problem report escapes them.");
        }
    }

    /// <summary>Numeric accounts shorter than the length most of them share: a spreadsheet stored them as numbers.</summary>
    private PackageWarning? LostLeadingZeros()
    {
        var total = _numericByLength.Sum(tally => tally.Count);
        var usual = Array.FindLastIndex(_numericByLength, tally => tally.Count == _numericByLength.Max(t => t.Count));
        if (total == 0 || _numericByLength[usual].Count * 2 < total)
        {
            return null;
        }

        var shorter = new Tally();
        foreach (var tally in _numericByLength.Take(usual))
        {
            shorter.Merge(tally);
        }

        return shorter.Count == 0 ? null : shorter.Warning(WarningKind.LostLeadingZeros,
            $"{shorter.Count:N0} numeric accounts are shorter than the {usual} digits most have: a spreadsheet may have dropped their leading zeros. Export the column as text.");
    }

    /// <summary>Excel's rendering of a long number: one digit, optional decimals, E, sign, exponent (1.23457E+15).</summary>
    internal static bool IsScientific(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || !char.IsAsciiDigit((char)value[0]))
        {
            return false;
        }

        var exponent = value.IndexOfAny((byte)'E', (byte)'e');
        if (exponent < 1 || exponent + 2 >= value.Length || value[exponent + 1] is not ((byte)'+' or (byte)'-'))
        {
            return false;
        }

        var mantissa = value[1..exponent];
        return (mantissa.IsEmpty || (mantissa[0] == (byte)'.' && mantissa.Length > 1 && IsDigits(mantissa[1..]))) && IsDigits(value[(exponent + 2)..]);
    }

    private static bool IsDigits(ReadOnlySpan<byte> value) => value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    /// <summary>A count and its first few line numbers.</summary>
    private sealed class Tally
    {
        private readonly List<long> _examples = [];

        public long Count { get; private set; }

        public void Add(long line)
        {
            Count++;
            if (_examples.Count < PackageRules.MaxWarningExamples)
            {
                _examples.Add(line);
            }
        }

        public void Merge(Tally other)
        {
            Count += other.Count;
            _examples.AddRange(other._examples);
            _examples.Sort();
            _examples.RemoveRange(Math.Min(_examples.Count, PackageRules.MaxWarningExamples), Math.Max(0, _examples.Count - PackageRules.MaxWarningExamples));
        }

        public PackageWarning Warning(WarningKind kind, string message) => new(kind, Count, _examples.ToArray(), message);
    }
}
