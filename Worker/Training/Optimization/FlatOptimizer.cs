using Experiments.Core.Specs;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// Adam, AdamW and SGD (momentum, Nesterov) with PyTorch's update formulas, applied to the flat parameter buffer.
/// The state is a few named tensors plus the step count, which checkpoints save and restore exactly.
/// </summary>
public abstract class FlatOptimizer(FlatParameters parameters) : IDisposable
{
    protected FlatParameters Flat { get; } = parameters;

    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; protected set; }

    public static FlatOptimizer Create(TrainingConfig config, FlatParameters parameters) => config.Optimizer switch
    {
        Optimizer.Adam => new FlatAdam(parameters, config.WeightDecay, decoupledWeightDecay: false),
        Optimizer.AdamW => new FlatAdam(parameters, config.WeightDecay, decoupledWeightDecay: true),
        Optimizer.Sgd => new FlatSgd(parameters, config.WeightDecay, config.Momentum, config.Nesterov),
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.Optimizer, "not an optimizer"),
    };

    /// <summary>One update with learning rate <paramref name="lr"/> from the gradients in the flat buffer.</summary>
    public void Apply(double lr)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Step++;
        Update(lr);
    }

    protected abstract void Update(double lr);

    /// <summary>State tensors by name (the live tensors: callers copy them, never dispose them).</summary>
    public abstract IReadOnlyDictionary<string, Tensor> State { get; }

    /// <summary>Restores the step count and copies each named state tensor in place.</summary>
    public void Restore(long step, IReadOnlyDictionary<string, Tensor> state)
    {
        using var noGrad = no_grad();
        foreach (var (name, live) in State)
        {
            if (!state.TryGetValue(name, out var saved))
                throw new InvalidDataException($"Checkpoint lacks optimizer state '{name}'.");
            live.copy_(saved);
        }
        Step = step;
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
