using Experiments.Core.Specs;

namespace Experiments.Worker.Training.Checkpointing;

/// <summary>
/// How much disk a trial's checkpoints take, from the model and optimizer alone (nothing is loaded): one
/// checkpoint holds the model's parameters and buffers, the optimizer's state (Adam and AdamW: two tensors the
/// size of the parameters, SGD: one) and a few small tensors. For ResNet-34 with Adam that is ~255 MB.
/// </summary>
public static class CheckpointSizeEstimate
{
    private static readonly int[] BlocksPerStage = [3, 4, 6, 3];
    private static readonly int[] StageChannels = [64, 128, 256, 512];

    /// <summary>Names, tensor headers, generator states and the JSON header: tens of kilobytes; rounded up generously.</summary>
    private const long FixedOverheadBytes = 1 << 20;

    /// <summary>Every data set in the catalog has at most 3 channels and 10 classes; fewer only makes the file smaller.</summary>
    private const int MaxInputChannels = 3;

    private const int MaxClasses = 10;

    /// <summary>Bytes of one checkpoint file of a trial with this config.</summary>
    public static long BytesPerFile(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (parameters, floatBuffers, counters) = ResNet34Counts(MaxInputChannels, MaxClasses, config.Stem == ResNetStem.Cifar ? 3 : 7);
        long optimizerSlots = config.Optimizer is Optimizer.Adam or Optimizer.AdamW ? 2 : 1;
        return (4 * (parameters + floatBuffers + (optimizerSlots * parameters))) + (8 * counters) + FixedOverheadBytes;
    }

    /// <summary>
    /// Peak bytes a trial needs on the volume: every file its policy keeps while it runs (<c>last</c>, and
    /// <c>best</c> if kept), plus one more while a new checkpoint is written beside the one it replaces.
    /// </summary>
    public static long PeakBytes(TrainingConfig config, CheckpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return FilesAtPeak(policy) * BytesPerFile(config);
    }

    public static int FilesAtPeak(CheckpointPolicy policy) => (policy.KeepsBest ? 2 : 1) + 1;

    /// <summary>Trainable parameters, float buffers (BatchNorm running mean and variance) and int64 counters of ResNet-34.</summary>
    internal static (long Parameters, long FloatBuffers, long Counters) ResNet34Counts(int inputChannels, int classes, int stemKernel)
    {
        long parameters = (long)inputChannels * 64 * stemKernel * stemKernel;
        long floatBuffers = 0, counters = 0;
        void BatchNorm(long channels)
        {
            parameters += 2 * channels;
            floatBuffers += 2 * channels;
            counters++;
        }

        BatchNorm(64);
        long channels = 64;
        for (int stage = 0; stage < BlocksPerStage.Length; stage++)
        {
            for (int block = 0; block < BlocksPerStage[stage]; block++)
            {
                long output = StageChannels[stage];
                parameters += (channels * output * 9) + (output * output * 9);
                BatchNorm(output);
                BatchNorm(output);
                if ((stage > 0 && block == 0) || channels != output)
                {
                    parameters += channels * output;
                    BatchNorm(output);
                }

                channels = output;
            }
        }

        parameters += (512 * classes) + classes;
        return (parameters, floatBuffers, counters);
    }
}
