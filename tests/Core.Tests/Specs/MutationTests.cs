using Experiments.Core.Specs;

namespace Experiments.Core.Tests.Specs;

public sealed class MutationTests
{
    private const string Alphabet = "{}[]:,-&*!|>'\"#%@`?\n\t 0123456789.eE+-_axyz\\\u2028\uD800é";

    [Fact]
    public void MutatedSpecsAreAcceptedOrRejectedWithSpecErrorsButNeverCrash()
    {
        var originals = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "sweeps")).Select(File.ReadAllText).ToList();
        originals.Add("""{"name": "x", "method": "sobol", "trial_count": 5, "seeds": [1, 2], "base": {"epochs": 3, "init_from": null}, "parameters": {"lr": {"distribution": "log_uniform", "min": 0.0001, "max": 0.1}, "optimizer": {"values": ["adam", "sgd"]}}}""");
        var random = new Random(20_240_601);
        var crashes = new List<string>();

        for (var i = 0; i < 20_000 && crashes.Count < 5; i++)
        {
            var text = Mutate(originals[random.Next(originals.Count)], random);
            try
            {
                SweepSpecParser.Parse(text, new SweepLimits());
            }
            catch (SweepSpecException rejected)
            {
                Assert.NotEmpty(rejected.Errors);
            }
#pragma warning disable CA1031 // The point of the test: collect any other exception with the text that caused it.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                crashes.Add($"{exception.GetType().Name}: {exception.Message}\n{text}");
            }
        }

        Assert.True(crashes.Count == 0, string.Join("\n-----\n", crashes));
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var position = random.Next(chars.Count + 1);
            var replacement = Alphabet[random.Next(Alphabet.Length)];
            switch (random.Next(3))
            {
                case 0 when position < chars.Count:
                    chars.RemoveAt(position);
                    break;
                case 1 when position < chars.Count:
                    chars[position] = replacement;
                    break;
                default:
                    chars.Insert(position, replacement);
                    break;
            }
        }

        return new string([.. chars]);
    }
}
