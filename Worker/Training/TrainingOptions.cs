namespace Experiments.Worker.Training;

/// <summary>How many CPU threads torch uses; bound from the <c>Training</c> section. Checkpoints: <c>Checkpoints:Root</c>.</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>torch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; set; }

    /// <summary>
    /// Tests of the hung-trainer watchdog only (never set in production): the first attempt of each trial blocks its
    /// training thread for good inside this batch (1-based) of its first epoch, as a wedged native call would.
    /// </summary>
    public long? TestHangInBatch { get; set; }

    /// <summary>
    /// Tests of a stop during a trial's start only (never set in production): the first attempt of each trial blocks its
    /// training thread for good once its data is loaded, before its model is built, as a slow start that does not hear a
    /// stop would. No batch is ever reached.
    /// </summary>
    public bool TestHangInStart { get; set; }

    /// <summary>
    /// Tests of trainer crashes only (never set in production): the first attempt of each trial crashes natively inside
    /// this batch (1-based) of its first epoch, as a bug in libtorch would (<see cref="TestCrash"/> says how).
    /// </summary>
    public long? TestCrashInBatch { get; set; }

    /// <summary>
    /// With <see cref="TestCrashInBatch"/>: <c>segfault</c> (a write through a null pointer in native code), <c>abort</c>
    /// (libc's abort()) or <c>oom</c> (native memory touched until the OOM killer ends it: only under a memory cap such as
    /// <c>Worker:TrainerCgroup</c>; without one it aborts after 8 GiB).
    /// </summary>
    public string TestCrash { get; set; } = NativeCrash.Segfault;
}
