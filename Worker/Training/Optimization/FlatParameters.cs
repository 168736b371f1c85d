using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Experiments.Worker.Training.Optimization;

/// <summary>
/// Re-homes every trainable parameter, and its gradient, as a view into one contiguous buffer, so an optimizer
/// updates all 21M weights with a few large kernels instead of ~600 small ones (TorchSharp has no foreach ops).
/// Autograd accumulates into the existing gradient views in place; <see cref="ZeroGrad"/> clears them in one call.
/// Do not move the model to another device afterwards: that would detach the parameters from the buffer.
/// </summary>
public sealed class FlatParameters : IDisposable
{
    public FlatParameters(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count == 0)
            throw new ArgumentException("No trainable parameters.", nameof(parameters));
        Parameters = parameters;
        long total = parameters.Sum(p => p.numel());
        var first = parameters[0];
        if (HostBuffer.Supports(first.dtype, first.device))
        {
            // On the CPU the buffers live in managed memory so the optimizer can run one fused C# pass over them.
            _hostValues = HostBuffer.Zeros(total);
            _hostGradients = HostBuffer.Zeros(total);
            Values = _hostValues.Tensor;
            Gradients = _hostGradients.Tensor;
        }
        else
        {
            Values = zeros([total], first.dtype, first.device);
            Gradients = zeros([total], first.dtype, first.device);
        }

        using var noGrad = no_grad();
        long offset = 0;
        foreach (var parameter in parameters)
        {
            long count = parameter.numel();
            using var value = Values.narrow(0, offset, count).view(parameter.shape);
            value.copy_(parameter);
            // set_ returns a second wrapper around the parameter's own native handle: disposing or finalizing it
            // would free the parameter, so it is detached from any scope and never finalized.
            var alias = parameter.set_(value);
            alias.DetachFromDisposeScope();
            GC.SuppressFinalize(alias);
            parameter.grad = Gradients.narrow(0, offset, count).view(parameter.shape);
            offset += count;
        }
    }

    private readonly HostBuffer? _hostValues;
    private readonly HostBuffer? _hostGradients;

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The values as managed memory, when they live on the CPU as float32; null elsewhere.</summary>
    internal float[]? HostValues => _hostValues?.Array;

    /// <summary>The gradients as managed memory, when they live on the CPU as float32; null elsewhere.</summary>
    internal float[]? HostGradients => _hostGradients?.Array;

    /// <summary>All parameter values; each parameter is a view into it.</summary>
    public Tensor Values { get; }

    /// <summary>All gradients; each parameter's <c>grad</c> is a view into it.</summary>
    public Tensor Gradients { get; }

    public void ZeroGrad() => Gradients.zero_();

    public void Dispose()
    {
        Values.Dispose();
        Gradients.Dispose();
    }
}
