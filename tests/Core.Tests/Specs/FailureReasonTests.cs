using Experiments.Core.Records;

namespace Experiments.Core.Tests.Specs;

public sealed class FailureReasonTests
{
    [Theory]
    [InlineData("Could not find file '/home/ci/repo/.data/checkpoints/sw-a-0000/last.ckpt'.", "Could not find file '…/last.ckpt'.")]
    [InlineData("Place the archive in /srv/experiments/datasets/cifar10 or allow downloads", "Place the archive in …/cifar10 or allow downloads")]
    [InlineData("Access to the path '/tmp/x/' is denied.", "Access to the path '…/' is denied.")]
    [InlineData(@"Could not find a part of the path 'C:\Users\ci\repo\last.ckpt'.", @"Could not find a part of the path '…\last.ckpt'.")]
    [InlineData("downloading failed: 404 for https://example.org/data/file.tar.gz", "downloading failed: 404 for https://example.org/data/file.tar.gz")]
    [InlineData("batch_size must be at least 2; lr must be > 0", "batch_size must be at least 2; lr must be > 0")]
    [InlineData("ratio 3/4 of epochs", "ratio 3/4 of epochs")]
    public void AbsolutePathsAreCutToTheirLastPart(string message, string expected)
    {
        Assert.Equal(expected, FailureReason.StripPaths(message));
    }

    [Fact]
    public void TheReasonNamesTheExceptionTypeAndKeepsNoFolders()
    {
        var reason = FailureReason.Of(new FileNotFoundException("Could not find file '/home/alice/secret-project/.data/x.pt'."));

        Assert.Equal("FileNotFoundException: Could not find file '…/x.pt'.", reason);
        Assert.DoesNotContain("alice", reason, StringComparison.Ordinal);
    }
}
