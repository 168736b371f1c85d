using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Experiments.Core.Checkpoints;

/// <summary>
/// The one rule for the ids that name checkpoint folders and imports: trial ids, <c>init_from</c>, <c>train --id</c>.
/// An id becomes a path segment under the checkpoint root, so it holds no separator, no dot (no <c>..</c>, no
/// <c>.hidden</c>) and nothing a file system treats specially; the length keeps paths well under any limit.
/// </summary>
public static partial class CheckpointId
{
    /// <summary>What an invalid id is told.</summary>
    public const string Rule = "must be a checkpoint id (1-128 letters, digits, '-' or '_'), never a path";

    public static bool IsValid([NotNullWhen(true)] string? id) => id is not null && Pattern().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,128}\z")]
    private static partial Regex Pattern();
}
