using Experiments.Tests.Shared;
using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class ReaderTests
{
    private const string Yaml = """
        # comments are fine in YAML
        name: same
        method: grid
        metric: { name: val_loss, goal: minimize }
        seeds: [0, 1]
        base:
          dataset: fashion_mnist
          epochs: 3
          nesterov: true
          init_from: null
        parameters:
          lr: { values: [0.1, 0.01] }
          optimizer: { values: [sgd, adamw] }
          momentum: { value: 0.8 }
        """;

    private const string Json = """
        {
          "name": "same",
          "method": "grid",
          "metric": { "name": "val_loss", "goal": "minimize" },
          "seeds": [0, 1],
          "base": { "dataset": "fashion_mnist", "epochs": 3, "nesterov": true, "init_from": null },
          "parameters": {
            "lr": { "values": [0.1, 0.01] },
            "optimizer": { "values": ["sgd", "adamw"] },
            "momentum": { "value": 0.8 }
          }
        }
        """;

    [Fact]
    public void YamlAndJsonOfTheSameSpecGiveTheSamePlan()
    {
        var fromYaml = SpecAssert.Parses(Yaml);
        var fromJson = SpecAssert.Parses(Json);

        Assert.Equal(8, fromYaml.Trials.Count);
        Assert.Equal((fromYaml.Name, fromYaml.Method, fromYaml.Metric), (fromJson.Name, fromJson.Method, fromJson.Metric));
        Assert.Equal(fromYaml.Trials.Select(t => t.Config), fromJson.Trials.Select(t => t.Config));
        Assert.Equal(fromYaml.Trials.Select(t => string.Join(",", t.Parameters)), fromJson.Trials.Select(t => string.Join(",", t.Parameters)));
    }

    [Fact]
    public void JsonIsChosenByALeadingBraceEvenAfterWhitespaceAndBom()
    {
        Assert.Equal("same", SpecAssert.Parses("\uFEFF \n\t" + Json).Name);
    }

    [Fact]
    public void JsonSyntaxErrorsCarryLineAndColumn()
    {
        SpecAssert.RejectsWith(
            "{\n  \"name\": \"t\",\n  \"method\" \"grid\"\n}",
            "document: invalid JSON at line 3, column 12: '\"' is invalid after a property name. Expected a ':'.");
    }

    [Fact]
    public void TruncatedJsonIsASyntaxError()
    {
        var error = Assert.Single(SpecAssert.Rejects("{\"name\": \"t\", \"method\": [\"gr"));
        Assert.StartsWith("document: invalid JSON at line 1", error);
    }

    [Fact]
    public void JsonTypesAreStrict()
    {
        SpecAssert.RejectsWith("""{ "name": "t", "method": "grid", "base": { "lr": "0.1" } }""", "base.lr: must be a number, got a string");
        SpecAssert.RejectsWith("""{ "name": "t", "method": "grid", "base": { "nesterov": "true" } }""", "base.nesterov: must be true or false, got a string");
    }

    [Fact]
    public void JsonDuplicateKeysAreReported()
    {
        SpecAssert.RejectsWith("""{ "name": "t", "name": "u", "method": "grid" }""", "name: duplicate key");
    }

    [Fact]
    public void YamlSyntaxErrorsCarryLineAndColumn()
    {
        var error = Assert.Single(SpecAssert.Rejects("name: t\nmethod: grid\nbase:\n  lr: [0.1\n  epochs: 3\n"));
        Assert.Matches(@"^document: invalid YAML at line \d+, column \d+: ", error);
    }

    [Fact]
    public void YamlAnchorsAndAliasesAreRefused()
    {
        SpecAssert.RejectsWith(
            "name: t\nmethod: grid\nbase: &b { epochs: 3 }\nparameters:\n  lr: { values: [0.1] }\n",
            "document: invalid YAML at line 3, column 7: anchors (&name) are not allowed");
    }

    [Fact]
    public async Task BillionLaughsIsRefusedWithoutExpanding()
    {
        var lines = new List<string> { "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]" };
        lines.AddRange(Enumerable.Range(1, 9).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]"));

        var errors = await Eventually.FinishesAsync(() => SpecAssert.Rejects(string.Join("\n", lines)), "refusing the billion laughs");

        Assert.Contains("anchors (&name) are not allowed", Assert.Single(errors));
    }

    [Fact]
    public void YamlAliasWithoutAnchorIsRefused()
    {
        Assert.Single(SpecAssert.Rejects("name: t\nmethod: *m\n"));
    }

    [Fact]
    public void YamlTagsAreRefused()
    {
        Assert.Contains("tags (!name) are not allowed", Assert.Single(SpecAssert.Rejects("name: !!str t\nmethod: grid\n")));
    }

    [Fact]
    public void QuotedYamlScalarsAreStrings()
    {
        SpecAssert.RejectsWith(SpecAssert.Grid("base: { epochs: \"3\" }"), "base.epochs: must be a number, got a string");
    }

    [Fact]
    public void MoreThanOneYamlDocumentIsRefused()
    {
        Assert.Contains("only one YAML document is allowed", Assert.Single(SpecAssert.Rejects("name: t\nmethod: grid\n---\nname: u\n")));
    }

    [Theory]
    [InlineData("yaml")]
    [InlineData("json")]
    public async Task DeepNestingStopsAtTheDepthLimit(string format)
    {
        var depth = 100_000;
        var text = format == "json"
            ? "{\"name\": " + new string('[', depth) + new string(']', depth) + "}"
            : "name: " + new string('[', depth) + new string(']', depth);

        var error = Assert.Single(await Eventually.FinishesAsync(() => SpecAssert.Rejects(text), "refusing 100,000 nested brackets"));

        Assert.StartsWith($"document: invalid {format.ToUpperInvariant()}", error);
    }

    [Fact]
    public void OversizedSourceIsRefusedBeforeParsing()
    {
        var text = SpecAssert.Grid("# " + new string('x', 2_000_000));

        Assert.Equal(["document: is larger than 1000000 bytes"], SpecAssert.Rejects(text));
    }

    [Fact]
    public void SourceSizeCountsUtf8Bytes()
    {
        var text = SpecAssert.Grid("# " + new string('é', 600));

        Assert.Equal(["document: is larger than 1000 bytes"], SpecAssert.Rejects(text, new SweepLimits(MaxSourceBytes: 1000)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t  ")]
    [InlineData("\uFEFF")]
    public void EmptyDocumentsAreRefused(string text)
    {
        Assert.Equal(["document: is empty"], SpecAssert.Rejects(text));
    }

    [Fact]
    public void CommentOnlyYamlIsEmpty()
    {
        Assert.Contains("empty", Assert.Single(SpecAssert.Rejects("# nothing here\n")));
    }

    [Fact]
    public void BinaryDataIsRefused()
    {
        Assert.Equal(["document: contains binary data (NUL characters); sweep files are text"], SpecAssert.Rejects("name: t\0\u0001\u0002"));
    }

    [Fact]
    public void OddKeysAreQuotedInPaths()
    {
        SpecAssert.RejectsWith(SpecAssert.Grid("base: { \"bad key\\u0001\": 1 }"), "base.\"bad key\\u0001\": unknown key: not a training setting");
    }
}
