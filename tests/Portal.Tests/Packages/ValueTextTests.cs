using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>Text from outside, shown and exported so that nothing in it can hide, reorder or run.</summary>
public sealed class ValueTextTests
{
    [Theory]
    [InlineData("spoof\u202Eexe.txt", "spoof<U+202E>exe.txt")]
    [InlineData("a\u2066b\u2069c", "a<U+2066>b<U+2069>c")]
    [InlineData("zero\u200Bwidth", "zero<U+200B>width")]
    [InlineData("esc\u001B[31m", "esc\u241B[31m")]
    [InlineData(" edge ", "\u2420edge\u2420")]
    [InlineData("张伟", "张伟")]
    public void Visible_shows_every_invisible_or_reordering_character(string text, string shown) =>
        Assert.Equal(shown, ValueText.Visible(text));

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\u001Bb", "a<U+001B>b")]
    [InlineData("line\r\nbreak", "line<U+000D><U+000A>break")]
    [InlineData("x\u202Ey", "x<U+202E>y")]
    [InlineData("\t=cmd", "<U+0009>=cmd")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    public void Csv_fields_never_hold_a_raw_control_or_direction_character(string value, string field) =>
        Assert.Equal(field, ValueText.ForCsv(value));

    [Theory]
    [InlineData("spoof\u202Eexe.txt", "the direction control U+202E, which changes how the rest of the name reads at position 6")]
    [InlineData("a\u2067b.txt", "the direction control U+2067, which changes how the rest of the name reads at position 2")]
    [InlineData("list\r\n.txt", "the control character U+000D at position 5")]
    [InlineData("nul\0.txt", "the control character U+0000 at position 4")]
    [InlineData("esc\u001B.csv", "the control character U+001B at position 4")]
    [InlineData("folder/list.txt", "'/', which separates folders at position 7")]
    [InlineData("folder\\list.txt", "'\\', which separates folders at position 7")]
    [InlineData("😀/x.txt", "'/', which separates folders at position 2")]
    public void A_file_name_with_a_control_direction_or_folder_character_is_refused_naming_it_and_its_position(string fileName, string problem)
    {
        var message = PackageRules.FileNameProblem(fileName);

        Assert.NotNull(message);
        Assert.Contains($" holds {problem}: rename the file without it and upload it again.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u202E", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accounts.txt")]
    [InlineData("春季活动 张伟.csv")]
    [InlineData("résumé (final) #2.zip")]
    public void An_ordinary_file_name_is_fine(string fileName) => Assert.Null(PackageRules.FileNameProblem(fileName));
}
