using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Experiments.Core.Queue.Scripts;

/// <summary>
/// One Lua script, run by its SHA1 (EVALSHA) and sent in full (EVAL, which caches it) only when the server answers
/// NOSCRIPT, e.g. after a restart. Every script is valid Lua 5.1 (Redis) and 5.4 (Garnet): numbers sent back to
/// the server are formatted with <c>string.format('%d')</c>. Lease deadlines, the times they are compared with and
/// retry scores come from the store's own clock (<c>TIME</c>, in the script); times that are only shown (a trial's
/// start and end, an attempt's record) come in as arguments from the caller's clock.
/// </summary>
internal sealed class StoreScript
{
    private readonly byte[] hash;

    public StoreScript(string body)
    {
        Text = StoreScripts.Prelude + body;
        hash = SHA1.HashData(Encoding.UTF8.GetBytes(Text));
    }

    public string Text { get; }

    /// <summary>Blocks the calling thread; the reply is read by the client's own socket threads, not the thread pool.</summary>
    public RedisResult Evaluate(IDatabase database, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return database.ScriptEvaluate(hash, keys, arguments);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return database.ScriptEvaluate(Text, keys, arguments);
        }
    }

    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync database, RedisKey[] keys, RedisValue[] arguments)
    {
        try
        {
            return await database.ScriptEvaluateAsync(hash, keys, arguments).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await database.ScriptEvaluateAsync(Text, keys, arguments).ConfigureAwait(false);
        }
    }
}
