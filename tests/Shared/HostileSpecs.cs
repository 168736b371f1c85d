using System.Globalization;
using System.Text;

namespace Experiments.Tests.Shared;

/// <summary>
/// Malformed and hostile sweep files, generated deterministically: every one must be rejected with a
/// spec error (never a crash, a hang or an accepted plan). Shared by the parser's unit tests and the
/// end-to-end suite, which posts them to the HTTP API. Names are unique and short; texts may be megabytes.
/// </summary>
public static class HostileSpecs
{
    private const string Head = "name: hostile\nmethod: grid\n";
    private const string RandomHead = "name: hostile\nmethod: random\ntrial_count: 3\n";

    private static readonly string[] IntegerFields = ["synthetic_size", "validation_size", "epochs", "batch_size", "step_size", "warmup_epochs", "seed"];
    private static readonly string[] RealFields = ["lr", "weight_decay", "momentum", "label_smoothing", "gamma"];
    private static readonly string[] ChoiceFields = ["dataset", "optimizer", "scheduler", "augmentation", "stem", "checkpoint", "device"];

    // Each is wrong for every field of its kind (note null is fine for init_from, so it is not in that list).
    private static readonly string[] WrongIntegers = ["'10'", "ten", "[10]", "{ n: 10 }", "true", "null", "1.5", "-1", "1e309", "99999999999999999999999"];
    private static readonly string[] WrongReals = ["'0.1'", "[0.1]", "{ v: 0.1 }", "true", "null", ".nan", ".inf", "-.inf", "-1", "1e999"];
    private static readonly string[] WrongBooleans = ["'true'", "yes", "on", "1", "[true]", "null", "{ b: true }"];
    private static readonly string[] WrongChoices = ["7", "[adam]", "{ a: b }", "true", "null", "INVALID", "''", "' adam'"];
    private static readonly string[] PathLikeIds =
    [
        "'../../etc/passwd'", "/etc/passwd", "'C:\\Windows\\system32'", "'..'", "'.'", "a/b", "'~/weights'",
        "'\\\\server\\share'", "'file:///etc/passwd'", "'weights/../../x'", "'a\\b'", "'x..y'", "''", "7", "[a]", "{ a: b }", "true",
    ];

    public static IEnumerable<(string Name, string Text)> All() =>
        Empty()
            .Concat(WrongRoots())
            .Concat(TopLevelConfusion())
            .Concat(BaseConfusion())
            .Concat(ParameterConfusion())
            .Concat(ParameterShapes())
            .Concat(UnknownKeys())
            .Concat(Truncated())
            .Concat(Json())
            .Concat(YamlHazards())
            .Concat(Nesting())
            .Concat(Numbers())
            .Concat(Sizes())
            .Concat(Unicode())
            .Concat(Garbage());

    private static IEnumerable<(string, string)> Empty()
    {
        string[] texts = ["", " ", "\n", "\t\t", "\r\n\r\n", "\uFEFF", "---", "...", "~", "null", "{}", "[]", "0", "true", "''", "# only a comment\n"];
        return texts.Select((t, i) => ($"empty-{i}", t));
    }

    private static IEnumerable<(string, string)> WrongRoots()
    {
        yield return ("root-list", "- name: hostile\n- method: grid\n");
        yield return ("root-scalar", "hostile grid\n");
        yield return ("root-number", "42\n");
        yield return ("root-json-array", """[{"name": "hostile", "method": "grid"}]""");
        yield return ("root-json-string", "\"name: hostile\"");
        yield return ("missing-name", "method: grid\n");
        yield return ("missing-method", "name: hostile\n");
        yield return ("method-unknown", "name: hostile\nmethod: bayes\n");
        yield return ("method-case", "name: hostile\nmethod: Grid\n");
        yield return ("name-empty", "name: ''\nmethod: grid\n");
        yield return ("name-blank", "name: '   '\nmethod: grid\n");
        yield return ("name-10k", $"name: {new string('n', 10_000)}\nmethod: grid\n");
        yield return ("name-control", "name: \"bell\\a\"\nmethod: grid\n");
        yield return ("name-newline", "name: \"two\\nlines\"\nmethod: grid\n");
    }

    private static IEnumerable<(string, string)> TopLevelConfusion()
    {
        string[] wrongForAll = ["[1, 2]", "{ x: 1 }", "true"];
        foreach (var key in new[] { "name", "method", "trial_count", "sample_seed" })
        {
            foreach (var (wrong, i) in wrongForAll.Append("null").Select((w, i) => (w, i)))
            {
                yield return ($"top-{key}-{i}", Replace(RandomHead + "sample_seed: 1\n", key, wrong));
            }
        }

        foreach (var (wrong, i) in new[] { "[1]", "42", "text", "true" }.Select((w, i) => (w, i)))
        {
            yield return ($"top-metric-{i}", Head + $"metric: {wrong}\n");
            yield return ($"top-seeds-{i}", Head + $"seeds: {(wrong == "[1]" ? "{ a: 1 }" : wrong)}\n");
            yield return ($"top-base-{i}", Head + $"base: {wrong}\n");
            yield return ($"top-parameters-{i}", Head + $"parameters: {wrong}\n");
        }

        yield return ("metric-name-unknown", Head + "metric: { name: accuracy, goal: maximize }\n");
        yield return ("metric-goal-unknown", Head + "metric: { name: val_loss, goal: lowest }\n");
        yield return ("metric-goal-missing", Head + "metric: { name: val_loss }\n");
        yield return ("metric-name-list", Head + "metric: { name: [val_loss], goal: minimize }\n");
        yield return ("grid-trial-count", Head + "trial_count: 5\n");
        yield return ("grid-sample-seed", Head + "sample_seed: 5\n");
        yield return ("random-no-trial-count", "name: hostile\nmethod: random\n");
        yield return ("sobol-no-trial-count", "name: hostile\nmethod: sobol\n");
        yield return ("trial-count-zero", "name: hostile\nmethod: sobol\ntrial_count: 0\n");
        yield return ("trial-count-negative", "name: hostile\nmethod: random\ntrial_count: -5\n");
        yield return ("trial-count-fraction", "name: hostile\nmethod: random\ntrial_count: 2.5\n");
        yield return ("sample-seed-negative", RandomHead + "sample_seed: -1\n");
        yield return ("seeds-empty", Head + "seeds: []\n");
        yield return ("seeds-duplicate", Head + "seeds: [1, 1]\n");
        yield return ("seeds-negative", Head + "seeds: [-1]\n");
        yield return ("seeds-strings", Head + "seeds: ['1', '2']\n");
        yield return ("seeds-nested", Head + "seeds: [[1]]\n");
        yield return ("seeds-null-entry", Head + "seeds: [1, null]\n");
    }

    private static IEnumerable<(string, string)> BaseConfusion()
    {
        foreach (var (fields, wrongs) in new[] { (IntegerFields, WrongIntegers), (RealFields, WrongReals), (["nesterov"], WrongBooleans), (ChoiceFields, WrongChoices) })
        {
            foreach (var field in fields)
            {
                for (var i = 0; i < wrongs.Length; i++)
                {
                    yield return ($"base-{field}-{i}", Head + $"base:\n  {field}: {wrongs[i]}\n");
                }
            }
        }

        for (var i = 0; i < PathLikeIds.Length; i++)
        {
            yield return ($"base-init_from-{i}", Head + $"base:\n  init_from: {PathLikeIds[i]}\n");
        }

        yield return ("base-warmup-equals-epochs", Head + "base: { epochs: 3, warmup_epochs: 3 }\n");
        yield return ("base-validation-too-big", Head + "base: { validation_size: 60000 }\n");
        yield return ("base-epochs-over-limit", Head + "base: { epochs: 501 }\n");
        yield return ("base-batch-over-limit", Head + "base: { batch_size: 4097 }\n");
        // Accepted once, then failed in every attempt: the trainer cannot run them.
        yield return ("base-batch-one", Head + "base: { batch_size: 1 }\n");
        yield return ("base-validation-zero", Head + "base: { validation_size: 0 }\n");
        yield return ("base-validation-leaves-one", Head + "base: { validation_size: 49999 }\n");
        yield return ("base-init_from-dotted", Head + "base: { init_from: a.b }\n");
        yield return ("base-synthetic-unallocatable", Head + "base: { dataset: synthetic, synthetic_size: 700000 }\n");
        yield return ("base-device-cuda-word", Head + "base: { device: 'cuda:zero' }\n");
        yield return ("base-device-cuda-big", Head + "base: { device: 'cuda:100' }\n");
        yield return ("base-duplicate-key", Head + "base:\n  lr: 0.1\n  lr: 0.2\n");
    }

    private static IEnumerable<(string, string)> ParameterConfusion()
    {
        var wrongByField = IntegerFields.Where(f => f != "seed").Select(f => (f, WrongIntegers))
            .Concat(RealFields.Select(f => (f, WrongReals)))
            .Concat(ChoiceFields.Select(f => (f, WrongChoices)))
            .Append(("nesterov", WrongBooleans))
            .Append(("init_from", PathLikeIds));
        foreach (var (field, wrongs) in wrongByField)
        {
            yield return ($"values-{field}", Head + $"parameters:\n  {field}: {{ values: [{Valid(field)}, {wrongs[0]}] }}\n");
            yield return ($"value-{field}", Head + $"parameters:\n  {field}: {{ value: {wrongs[^1]} }}\n");
        }
    }

    private static IEnumerable<(string, string)> ParameterShapes()
    {
        string P(string spec) => Head + $"parameters:\n  lr: {spec}\n";
        string R(string spec) => RandomHead + $"parameters:\n  {spec}\n";
        yield return ("param-scalar", P("0.1"));
        yield return ("param-list", P("[0.1, 0.2]"));
        yield return ("param-null", P("null"));
        yield return ("param-empty", P("{}"));
        yield return ("param-two-forms", P("{ value: 0.1, values: [0.2] }"));
        yield return ("param-three-forms", P("{ value: 0.1, values: [0.2], distribution: uniform }"));
        yield return ("param-values-empty", P("{ values: [] }"));
        yield return ("param-values-scalar", P("{ values: 0.1 }"));
        yield return ("param-values-map", P("{ values: { a: 0.1 } }"));
        yield return ("param-values-nested", P("{ values: [[0.1]] }"));
        yield return ("param-min-with-values", P("{ values: [0.1], min: 0.01 }"));
        yield return ("param-unknown-key", P("{ values: [0.1], step: 2 }"));
        yield return ("param-seed", Head + "parameters:\n  seed: { values: [1, 2] }\n");
        yield return ("param-duplicate", Head + "parameters:\n  lr: { values: [0.1] }\n  lr: { values: [0.2] }\n");
        yield return ("grid-distribution", P("{ distribution: log_uniform, min: 0.001, max: 0.1 }"));
        yield return ("dist-unknown", R("lr: { distribution: normal, min: 0.001, max: 0.1 }"));
        yield return ("dist-list", R("lr: { distribution: [uniform], min: 0.001, max: 0.1 }"));
        yield return ("dist-null", R("lr: { distribution: null, min: 0.001, max: 0.1 }"));
        yield return ("dist-no-min", R("lr: { distribution: uniform, max: 0.1 }"));
        yield return ("dist-no-max", R("lr: { distribution: uniform, min: 0.1 }"));
        yield return ("dist-min-eq-max", R("lr: { distribution: uniform, min: 0.1, max: 0.1 }"));
        yield return ("dist-min-gt-max", R("lr: { distribution: uniform, min: 0.2, max: 0.1 }"));
        yield return ("dist-min-nan", R("lr: { distribution: uniform, min: .nan, max: 0.1 }"));
        yield return ("dist-max-inf", R("lr: { distribution: uniform, min: 0.1, max: .inf }"));
        yield return ("dist-min-neg-inf", R("weight_decay: { distribution: uniform, min: -.inf, max: 0.1 }"));
        yield return ("dist-log-zero", R("weight_decay: { distribution: log_uniform, min: 0, max: 0.1 }"));
        yield return ("dist-log-negative", R("lr: { distribution: log_uniform, min: -0.1, max: 0.1 }"));
        yield return ("dist-min-string", R("lr: { distribution: uniform, min: '0.1', max: 0.2 }"));
        yield return ("dist-int-fraction", R("batch_size: { distribution: int_uniform, min: 16.5, max: 64 }"));
        yield return ("dist-int-huge", R("batch_size: { distribution: int_uniform, min: -2147483649, max: 2147483648 }"));
        yield return ("dist-int-on-real", R("lr: { distribution: int_uniform, min: 1, max: 3 }"));
        yield return ("dist-uniform-on-int", R("epochs: { distribution: uniform, min: 1, max: 3 }"));
        yield return ("dist-on-choice", R("optimizer: { distribution: uniform, min: 0, max: 1 }"));
        yield return ("dist-on-bool", R("nesterov: { distribution: uniform, min: 0, max: 1 }"));
        yield return ("dist-out-of-range", R("momentum: { distribution: uniform, min: 0.5, max: 1.5 }"));
        yield return ("dist-warmup-vs-epochs", RandomHead + "base: { epochs: 3 }\nparameters:\n  warmup_epochs: { distribution: int_uniform, min: 3, max: 5 }\n");
    }

    private static IEnumerable<(string, string)> UnknownKeys()
    {
        yield return ("unknown-top", Head + "colour: red\n");
        yield return ("unknown-top-many", Head + string.Concat(Enumerable.Range(0, 1000).Select(i => $"k{i}: {i}\n")));
        yield return ("unknown-metric", Head + "metric: { name: val_loss, goal: minimize, window: 3 }\n");
        yield return ("unknown-base", Head + "base: { learning_rate: 0.1 }\n");
        yield return ("unknown-parameter", Head + "parameters:\n  foo: { value: 1 }\n");
        yield return ("unknown-parameter-camel", Head + "parameters:\n  batchSize: { values: [32] }\n");
        yield return ("unknown-param-key", Head + "parameters:\n  lr: { values: [0.1], weight: 1 }\n");
        yield return ("unknown-key-empty", Head + "'': 1\n");
        yield return ("unknown-key-10k", Head + new string('k', 10_000) + ": 1\n");
        yield return ("unknown-key-number", Head + "1: 1\n");
        yield return ("unknown-key-merge", Head + "<<: { epochs: 3 }\n");
        yield return ("unknown-base-50k", Head + "base:\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"  k{i}: 1\n")));
    }

    private static IEnumerable<(string, string)> Truncated()
    {
        var json = """{"name": "hostile", "method": "grid", "base": {"epochs": 1}, "parameters": {"lr": {"values": [0.001, 0.01]}}}""";
        for (var length = 1; length < json.Length; length += 9)
        {
            yield return ($"truncated-json-{length}", json[..length]);
        }

        yield return ("truncated-yaml-method", "name: hostile\nmethod: gr");
        yield return ("truncated-yaml-key", "name: hostile\nmeth");
        yield return ("truncated-yaml-quote", "name: 'host");
        yield return ("truncated-yaml-double-quote", Head + "base:\n  lr: \"0.0");
        yield return ("truncated-yaml-flow-list", Head + "parameters:\n  lr: { values: [0.001, 0.0");
        yield return ("truncated-yaml-flow-map", Head + "parameters:\n  lr: { values: [0.001] ");
        yield return ("truncated-yaml-flow-key", Head + "metric: { name");
    }

    private static IEnumerable<(string, string)> Json()
    {
        const string Start = """{"name": "hostile", "method": "grid", """;
        yield return ("json-nan", Start + Q("'base': {'lr': NaN}}"));
        yield return ("json-infinity", Start + Q("'base': {'lr': Infinity}}"));
        yield return ("json-neg-infinity", Start + Q("'base': {'lr': -Infinity}}"));
        yield return ("json-nan-string", Start + Q("'base': {'lr': 'NaN'}}"));
        yield return ("json-huge-number", Start + Q("'base': {'lr': 1e400}}"));
        yield return ("json-tiny-number", Start + Q("'base': {'lr': 1e-400}}"));
        yield return ("json-long-integer", Start + Q("'base': {'epochs': 123456789012345678901234567890}}"));
        yield return ("json-comment", Start + Q("'base': {} // comment") + "\n}");
        yield return ("json-block-comment", Start + """/* c */ "base": {}}""");
        yield return ("json-trailing-comma", Start + Q("'base': {'epochs': 1,}}"));
        yield return ("json-single-quotes", """{'name': 'hostile', 'method': 'grid'}""");
        yield return ("json-unquoted-keys", """{name: "hostile", method: "grid"}""");
        yield return ("json-duplicate-name", """{"name": "a", "name": "b", "method": "grid"}""");
        yield return ("json-trailing-garbage", """{"name": "hostile", "method": "grid"} extra""");
        yield return ("json-two-objects", """{"name": "hostile", "method": "grid"}{"name": "x"}""");
        yield return ("json-bool-string", Start + Q("'base': {'nesterov': 'true'}}"));
        yield return ("json-number-string", Start + Q("'base': {'epochs': '10'}}"));
        yield return ("json-null-name", """{"name": null, "method": "grid"}""");
        yield return ("json-bad-escape", """{"name": "\x", "method": "grid"}""");
        yield return ("json-lone-surrogate-escape", """{"name": "\ud800", "method": "grid"}""");
        yield return ("json-control-in-string", "{\"name\": \"a\u0001b\", \"method\": \"grid\"}");
        yield return ("json-hex-number", Start + Q("'base': {'epochs': 0x10}}"));
        yield return ("json-leading-zero", Start + Q("'base': {'epochs': 010}}"));
        yield return ("json-plus-sign", Start + Q("'base': {'epochs': +1}}"));
        yield return ("json-unknown-key", Start + Q("'bogus': 1}"));
        yield return ("json-path-init-from", Start + Q("'base': {'init_from': '..\\\\..\\\\secrets'}}"));
        yield return ("json-values-object", Start + Q("'parameters': {'lr': {'values': {'0': 0.1}}}}"));
    }

    private static IEnumerable<(string, string)> YamlHazards()
    {
        var laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            laughs.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        }

        yield return ("yaml-billion-laughs", laughs.ToString());
        yield return ("yaml-laughs-in-spec", Head + "base: &b { epochs: 3 }\nparameters:\n  lr: { values: &v [0.1, 0.2] }\n  momentum: { values: *v }\n");
        yield return ("yaml-quadratic", Head + "x: &x " + new string('a', 10_000) + "\nparameters:\n  optimizer: { values: [" + string.Join(", ", Enumerable.Repeat("*x", 1000)) + "] }\n");
        yield return ("yaml-alias-undefined", "name: hostile\nmethod: *m\n");
        yield return ("yaml-alias-recursive", Head + "base: &r [*r]\n");
        yield return ("yaml-merge-key", "defaults: &d { epochs: 3 }\n" + Head + "base:\n  <<: *d\n");
        yield return ("yaml-anchor-scalar", "name: &n hostile\nmethod: grid\n");
        yield return ("yaml-alias-key", "k: &k name\n*k : hostile\nmethod: grid\n");
        yield return ("yaml-python-tag", Head + "base: !!python/object/apply:os.system ['ls']\n");
        yield return ("yaml-binary-tag", Head + "base:\n  init_from: !!binary aGVsbG8=\n");
        yield return ("yaml-custom-tag", "name: !secret hostile\nmethod: grid\n");
        yield return ("yaml-str-tag", "name: hostile\nmethod: grid\nbase:\n  epochs: !!int 3\n");
        yield return ("yaml-tag-directive", "%TAG ! tag:evil.example,2024:\n---\nname: !x hostile\nmethod: grid\n");
        yield return ("yaml-11-yes", "%YAML 1.1\n---\n" + Head + "base: { nesterov: yes }\n");
        yield return ("yaml-11-octal", Head + "base: { epochs: 0o12 }\n");
        yield return ("yaml-hex", Head + "base: { epochs: 0x0A }\n");
        yield return ("yaml-two-documents", Head + "---\nname: second\nmethod: grid\n");
        yield return ("yaml-document-end-then-more", Head + "...\n---\nmethod: random\n");
        yield return ("yaml-complex-key", Head + "? [a, b]\n: 1\n");
        yield return ("yaml-map-key", Head + "{ a: 1 }: 2\n");
        yield return ("yaml-tab-indent", Head + "base:\n\tepochs: 3\n");
        yield return ("yaml-bad-indent", Head + "base:\n  epochs: 3\n    lr: 0.1\n");
        yield return ("yaml-duplicate-top", Head + "name: again\n");
        yield return ("yaml-literal-number", Head + "base:\n  epochs: |\n    3\n");
        yield return ("yaml-folded-method", "name: hostile\nmethod: >\n  grid\n");
        yield return ("yaml-underscore-number", Head + "base: { synthetic_size: 1_000 }\n");
        yield return ("yaml-percent-number", Head + "base: { lr: 1% }\n");
        yield return ("yaml-reserved-char", Head + "base: { init_from: @weights }\n");
    }

    private static IEnumerable<(string, string)> Nesting()
    {
        yield return ("nest-yaml-flow-100k", "name: " + new string('[', 100_000) + new string(']', 100_000) + "\nmethod: grid\n");
        yield return ("nest-yaml-flow-unclosed", Head + "base: " + new string('[', 50_000));
        yield return ("nest-yaml-map-flow", Head + "base: " + string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "1" + new string('}', 5_000) + "\n");
        yield return ("nest-json-100k", "{\"name\": " + new string('[', 100_000) + new string(']', 100_000) + ", \"method\": \"grid\"}");
        yield return ("nest-json-objects", "{\"base\": " + string.Concat(Enumerable.Repeat("{\"a\": ", 10_000)) + "1" + new string('}', 10_001));
        yield return ("nest-yaml-block-40", Head + "base:\n" + string.Concat(Enumerable.Range(1, 40).Select(i => new string(' ', i) + "a:\n")) + new string(' ', 41) + "1\n");
        yield return ("nest-yaml-values-shallow", Head + "parameters:\n  lr: { values: [[[[0.1]]]] }\n");
        yield return ("nest-yaml-sequence-block", Head + "seeds:\n" + string.Concat(Enumerable.Range(1, 50).Select(i => new string(' ', i * 2) + "-\n")));
    }

    private static IEnumerable<(string, string)> Numbers()
    {
        yield return ("num-epochs-max-int", Head + "base: { epochs: 2147483647 }\n");
        yield return ("num-epochs-over-int", Head + "base: { epochs: 2147483648 }\n");
        yield return ("num-batch-long", Head + "base: { batch_size: 9223372036854775808 }\n");
        yield return ("num-lr-underflow", Head + "base: { lr: 1e-400 }\n");
        yield return ("num-lr-negative-zero", Head + "base: { lr: -0.0 }\n");
        yield return ("num-lr-zero", Head + "base: { lr: 0 }\n");
        yield return ("num-epochs-zero", Head + "base: { epochs: 0 }\n");
        yield return ("num-epochs-negative", Head + "base: { epochs: -10 }\n");
        yield return ("num-batch-zero", Head + "base: { batch_size: 0 }\n");
        yield return ("num-gamma-zero", Head + "base: { gamma: 0 }\n");
        yield return ("num-momentum-one", Head + "base: { momentum: 1 }\n");
        yield return ("num-smoothing-one", Head + "base: { label_smoothing: 1.0 }\n");
        yield return ("num-synthetic-tiny", Head + "base: { synthetic_size: 15 }\n");
        yield return ("num-trial-count-huge", "name: hostile\nmethod: random\ntrial_count: 1e18\n");
        yield return ("num-trial-count-long", "name: hostile\nmethod: sobol\ntrial_count: 99999999999999999999\n");
        yield return ("num-sample-seed-huge", RandomHead + "sample_seed: 1e30\n");
        yield return ("num-seed-huge", Head + "seeds: [1e100]\n");
        yield return ("num-many-digits", Head + "base: { lr: 0." + new string('0', 5_000) + "1e99999 }\n");
        yield return ("num-exponent-huge", Head + "base: { lr: 1e99999999999999999999 }\n");
    }

    private static IEnumerable<(string, string)> Sizes()
    {
        var twoMegabytes = new string('x', 2 * 1024 * 1024);
        yield return ("size-2mb-comment", Head + "# " + twoMegabytes + "\n");
        yield return ("size-2mb-name", $"name: {twoMegabytes}\nmethod: grid\n");
        yield return ("size-2mb-json", "{\"name\": \"" + twoMegabytes + "\", \"method\": \"grid\"}");
        yield return ("size-2mb-newlines", Head + new string('\n', 2 * 1024 * 1024));
        yield return ("size-just-over-limit", Head + "# " + new string('x', 1_000_001 - Head.Length - 3) + "\n");
        yield return ("size-multibyte-over-limit", Head + "# " + new string('€', 400_000) + "\n");

        var tenThousandAndOne = "[" + string.Join(", ", Enumerable.Range(1, 10_001).Select(i => (i * 1e-6).ToString("R", CultureInfo.InvariantCulture))) + "]";
        yield return ("size-values-over-limit", RandomHead + $"parameters:\n  lr: {{ values: {tenThousandAndOne} }}\n");
        yield return ("size-grid-1e12", Head + "parameters:\n" + string.Concat(new[] { "lr", "weight_decay", "momentum", "label_smoothing", "gamma", "epochs", "batch_size", "step_size", "synthetic_size", "validation_size", "warmup_epochs", "optimizer" }
            .Select(f => $"  {f}: {{ values: [{string.Join(", ", Enumerable.Range(0, 10).Select(i => TenthValue(f, i)))}] }}\n")));
        var many = "[" + string.Join(", ", Enumerable.Range(1, 10_000).Select(i => (i * 1e-5).ToString("R", CultureInfo.InvariantCulture))) + "]";
        yield return ("size-grid-overflow", Head + "parameters:\n" + string.Concat(RealFields.Select(f => $"  {f}: {{ values: {many} }}\n")));
        yield return ("size-trial-count-over", "name: hostile\nmethod: random\ntrial_count: 10001\n");
        yield return ("size-trials-times-seeds", "name: hostile\nmethod: sobol\ntrial_count: 5000\nseeds: [1, 2, 3]\n");
        yield return ("size-seeds-101", Head + $"seeds: [{string.Join(", ", Enumerable.Range(0, 101))}]\n");
        yield return ("size-grid-times-seeds", Head + $"seeds: [{string.Join(", ", Enumerable.Range(0, 100))}]\nparameters:\n  lr: {{ values: [{string.Join(", ", Enumerable.Range(1, 101).Select(i => (i * 1e-4).ToString("R", CultureInfo.InvariantCulture)))}] }}\n");
    }

    private static IEnumerable<(string, string)> Unicode()
    {
        yield return ("uni-homoglyph-key", "nаme: hostile\nmethod: grid\n"); // Cyrillic а
        yield return ("uni-homoglyph-value", Head + "base: { optimizer: аdam }\n");
        yield return ("uni-fullwidth-digits", Head + "base: { epochs: １０ }\n");
        yield return ("uni-zero-width-method", "name: hostile\nmethod: grid\u200B\n");
        yield return ("uni-zero-width-key", "na\u200Bme: hostile\nmethod: grid\n");
        yield return ("uni-rtl-init-from", Head + "base: { init_from: \"model\u202Etxt.exe\" }\n");
        yield return ("uni-emoji-dataset", Head + "base: { dataset: \"cifar10🔥\" }\n");
        yield return ("uni-lone-surrogate", Head + "base: { optimizer: \"adam\uD800\" }\n");
        yield return ("uni-nbsp-indent", Head + "base:\n\u00A0\u00A0epochs: 3\n");
        yield return ("uni-combining", Head + "base: { stem: \"cifar\u0301\" }\n");
        yield return ("uni-unicode-digits-init", Head + "base: { init_from: \"٣٤\" }\n");
        yield return ("uni-line-separator", "method: grid\nname: \u2028\n"); // empty whether or not U+2028 breaks a line
        yield return ("uni-name-escape-bell", "name: \"\\u0007\"\nmethod: grid\n");
    }

    private static IEnumerable<(string, string)> Garbage()
    {
        var state = 0x2545F4914F6CDD1DUL;
        char Next(int range, int offset)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            return (char)(offset + (int)(state % (ulong)range));
        }

        for (var i = 0; i < 8; i++)
        {
            yield return ($"garbage-ascii-{i}", new string([.. Enumerable.Range(0, 200 + (i * 50)).Select(_ => Next(95, 32))]));
            yield return ($"garbage-bytes-{i}", new string([.. Enumerable.Range(0, 256).Select(_ => Next(256, 0))]));
            yield return ($"garbage-bmp-{i}", new string([.. Enumerable.Range(0, 300).Select(_ => Next(0xFFFE, 1))]));
        }

        yield return ("garbage-nul-only", "\0\0\0\0");
        yield return ("garbage-nul-in-valid", Head.Replace("grid", "gr\0id", StringComparison.Ordinal));
        yield return ("garbage-control-chars", "name: hostile\u0001\u0002\u0003\nmethod: grid\n");
        yield return ("garbage-escape-seq", "name: \u001b[31mred\u001b[0m\nmethod: grid\n");
        yield return ("garbage-gzip-magic", "\u001f\u008b\u0008\u0000" + new string('\u00ff', 64));
        yield return ("garbage-html", "<html><body>name: hostile</body></html>");
        yield return ("garbage-xml", "<?xml version=\"1.0\"?><sweep name=\"x\"/>");
    }

    // JSON written with single quotes for readability; every ' becomes ".
    private static string Q(string json) => json.Replace('\'', '"');

    private static string Replace(string document, string key, string value) =>
        string.Join("\n", document.Split('\n').Select(line => line.StartsWith(key + ":", StringComparison.Ordinal) ? $"{key}: {value}" : line));

    private static string Valid(string field) => field switch
    {
        "synthetic_size" => "64",
        "validation_size" => "1",
        "warmup_epochs" => "0",
        "epochs" or "batch_size" or "step_size" => "2",
        "lr" or "weight_decay" or "momentum" or "label_smoothing" or "gamma" => "0.5",
        "nesterov" => "true",
        "dataset" => "cifar10",
        "optimizer" => "adam",
        "scheduler" or "augmentation" => "none",
        "stem" => "cifar",
        "checkpoint" => "last",
        "device" => "cpu",
        _ => "weights",
    };

    private static string TenthValue(string field, int i) => field switch
    {
        "optimizer" => new[] { "adam", "adamw", "sgd" }[i % 3],
        "synthetic_size" => (16 + i).ToString(CultureInfo.InvariantCulture),
        "epochs" or "batch_size" or "step_size" => (1 + i).ToString(CultureInfo.InvariantCulture),
        "validation_size" or "warmup_epochs" => i.ToString(CultureInfo.InvariantCulture),
        _ => ((i + 1) / 20.0).ToString(CultureInfo.InvariantCulture),
    };
}
