using System.Collections;
using Experiments.Core.Checkpoints;
using Experiments.Worker.Training.Checkpointing;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Model;

/// <summary>
/// Resolves <c>init_from: &lt;id&gt;</c>: a PyTorch state dict at <c>&lt;checkpoint root&gt;/imports/&lt;id&gt;.pt</c>
/// (e.g. converted torchvision weights), else our own checkpoint of trial <c>&lt;id&gt;</c> (best, then last). Ids
/// only, never paths. A classifier of another class count is skipped, so ImageNet weights can seed a 10-class model.
/// </summary>
public static class InitialWeights
{
    /// <param name="committed">The files trial <paramref name="id"/>'s record commits (its Worker reads the record); the fixed names when not given.</param>
    public static void Load(ResNet34 model, string id, CheckpointStore store, Action<string> progress, TrialCheckpoints? committed = null)
    {
        Dictionary<string, Tensor> state = ReadState(id, store, committed ?? TrialCheckpoints.Fixed);
        try
        {
            using var noGrad = no_grad();
            var live = model.state_dict();
            var missing = live.Keys.Where(k => !state.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException($"init_from '{id}' lacks {missing.Count} entries, e.g. '{missing[0]}'.");
            foreach (var (name, target) in live)
            {
                var source = state[name];
                if (!source.shape.SequenceEqual(target.shape))
                {
                    if (name.StartsWith("fc.", StringComparison.Ordinal))
                    {
                        progress($"init_from '{id}': {name} has shape [{string.Join(",", source.shape)}], model has [{string.Join(",", target.shape)}]; keeping the fresh classifier.");
                        continue;
                    }
                    throw new InvalidDataException($"init_from '{id}': {name} has shape [{string.Join(",", source.shape)}], expected [{string.Join(",", target.shape)}].");
                }
                target.copy_(source);
            }
            progress($"Initialised weights from '{id}'.");
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }

    private static Dictionary<string, Tensor> ReadState(string id, CheckpointStore store, TrialCheckpoints committed)
    {
        string import = store.ImportPath(id);
        if (File.Exists(import))
        {
            try
            {
                Hashtable table = PyTorchUnpickler.UnpickleStateDict(import);
                return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException))
            {
                // Files from before PyTorch 1.6 (and anything else) are not the zip format read here: say how to convert.
                throw new InvalidDataException(
                    $"init_from '{id}': {import} is not a PyTorch state dict in torch.save's zip format ({e.GetType().Name}: {e.Message}). " +
                    $"Re-save it with python3 -c \"import torch; torch.save(torch.load('{Path.GetFileName(import)}'), '{Path.GetFileName(import)}')\".", e);
            }
        }

        foreach (string? name in new[] { committed.Best, committed.Last })
        {
            if (name is null || !store.Exists(id, name))
                continue;
            using var stream = store.OpenRead(id, name);
            using var checkpoint = TrainingCheckpoint.Read(stream);
            // Take ownership of the model tensors; the rest is disposed with the checkpoint.
            var model = new Dictionary<string, Tensor>(checkpoint.Model);
            checkpoint.Model.Clear();
            return model;
        }
        throw new FileNotFoundException($"init_from '{id}': neither {import} nor a checkpoint of trial '{id}' exists.");
    }
}
