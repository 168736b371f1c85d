using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets;
using Experiments.Core.Records;
using Experiments.Worker.Training;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// Trains each attempt in a child process (the Worker executable in its <c>run-trial</c> mode) so that a crash the
/// trial causes (a segfault or abort in libtorch, an OOM kill) ends only the attempt, recorded with its signal, and a
/// hung trainer can really be stopped. The worker keeps all store work: the child's observer calls come back as
/// messages and go to the same observer (lease, fenced epoch records, watchdog) as in-process training.
/// </summary>
public sealed partial class TrialProcessTrainer(
    IOptions<WorkerOptions> worker,
    IOptions<TrainingOptions> training,
    IOptions<DataOptions> data,
    IOptions<CheckpointOptions> checkpoints,
    ILoggerFactory loggerFactory,
    ILogger<TrialProcessTrainer> logger) : ITrialTrainer
{
    /// <summary>
    /// How long a trainer told to stop has to finish its batch and exit before it is killed. Short: killing it is
    /// safe at any moment (its files are its attempt's own until an epoch report commits them).
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    /// <summary>How long a trainer that reported its outcome may take to exit before it is killed.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(30);

    /// <summary>A killed process is gone within moments; the margin covers a busy machine.</summary>
    public TimeSpan? StopsWithin => StopGrace + TimeSpan.FromSeconds(30);

    private ILoggerFactory Loggers => loggerFactory;

    public async Task<TrialOutcome> TrainAsync(TrialRun run, ITrainingObserver observer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var start = new TrialProcessStart(run, training.Value, data.Value, Path.GetFullPath(checkpoints.Value.Root));
        using var process = Process.Start(StartInfo()) ?? throw new InvalidOperationException("The trainer process did not start.");
        // Before the child's OOM counter is found: it must be the cgroup the trainer runs (and is OOM-killed) in, not the worker's.
        EnterCgroup(process);
        var child = new Child(this, process, run, observer, Activity.Current?.Context ?? default, cancellationToken);
        LogTrainerStarted(run.TrialId, run.Attempt, process.Id);
        return await child.RunAsync(start);
    }

    /// <summary>Moves the new trainer into <see cref="WorkerOptions.TrainerCgroup"/>; one that cannot be capped does not train.</summary>
    private void EnterCgroup(Process process)
    {
        if (worker.Value.TrainerCgroup is not { } cgroup)
        {
            return;
        }

        try
        {
            TrainerCgroup.Enter(cgroup, process.Id);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            process.Kill();
            process.WaitForExit();
            throw new InvalidOperationException(
                $"Could not move the trainer process {process.Id} into {WorkerOptions.SectionName}:{nameof(WorkerOptions.TrainerCgroup)} '{cgroup}': {ex.Message}", ex);
        }
    }

    /// <summary>The Worker executable again: its apphost, or the <c>dotnet</c> host running this assembly (tests, <c>dotnet Worker.dll</c>).</summary>
    internal static ProcessStartInfo StartInfo()
    {
        var assembly = typeof(TrialProcessTrainer).Assembly.Location;
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = TrialProcessChannel.Utf8,
            StandardOutputEncoding = TrialProcessChannel.Utf8,
            StandardErrorEncoding = TrialProcessChannel.Utf8,
            // Relative data and checkpoint paths mean the same in the child.
            WorkingDirectory = Environment.CurrentDirectory,
        };
        var host = Environment.ProcessPath;
        var apphost = Path.ChangeExtension(assembly, OperatingSystem.IsWindows() ? ".exe" : null);
        if (host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.FileName = host;
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(assembly);
        }
        else if (File.Exists(apphost))
        {
            info.FileName = apphost;
        }
        else
        {
            info.FileName = "dotnet";
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(assembly);
        }

        info.ArgumentList.Add(TrialProcessChild.Command);
        return info;
    }

    /// <summary>One trainer child from start to exit.</summary>
    private sealed class Child(
        TrialProcessTrainer owner, Process process, TrialRun run, ITrainingObserver observer, ActivityContext trial, CancellationToken cancellationToken)
    {
        private readonly TrialProcessChannel _input = new(process.StandardInput);
        private readonly SpanRelay _spans = new(trial);
        private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // The child's own memory cgroup (Worker:TrainerCgroup, when set, is entered before this): the OOM killer counts its victim there.
        private readonly OomKillCounter _oom = OomKillCounter.ForProcess(process.Id);
        private readonly Queue<string> _lastErrors = new();
        private FromTrainer? _end;
        private Task _epoch = Task.CompletedTask;
        private ExceptionDispatchInfo? _fault;
        private int _stopping;

        public async Task<TrialOutcome> RunAsync(TrialProcessStart start)
        {
            var oomBefore = _oom.Read();
            // Threads of their own: a saturated pool must not hold back batches the watchdog counts.
            new Thread(ReadOutput) { IsBackground = true, Name = $"trainer {run.TrialId} output" }.Start();
            var errors = new Thread(ReadErrors) { IsBackground = true, Name = $"trainer {run.TrialId} errors" };
            errors.Start();
            Send(start);
            await using (cancellationToken.Register(Stop))
            {
                await _outputEnded.Task;
                await process.WaitForExitAsync(CancellationToken.None);
            }

            // An epoch report still being recorded finishes before the attempt does: the finish must come after it.
            await _epoch;
            errors.Join(TimeSpan.FromSeconds(5));
            var unasked = Volatile.Read(ref _end) is null && Volatile.Read(ref _stopping) == 0;
            // Killed by a stop signal from outside while it started (TrainerCrash.StopSignal): a stop, not a crash.
            var stoppedBy = unasked ? TrainerCrash.StopSignal(process.ExitCode) : null;
            var interruption = stoppedBy is null ? null : $"trainer stopped by {stoppedBy} while starting (a stop sent to its worker's process group)";
            var crash = unasked && stoppedBy is null ? Crash(oomBefore) : null;
            // What the child left open ends here, in error: a killed trainer's epoch still shows in the trace.
            _spans.EndOpen(crash ?? interruption ?? "the trainer was stopped");
            _fault?.Throw();
            switch (Volatile.Read(ref _end))
            {
                case TrainingEnded ended:
                    return ended.Outcome;
                case TrainingCancelled cancelled:
                    throw new OperationCanceledException(cancelled.Message, cancellationToken);
                case TrainingFaulted faulted:
                    throw new TrainerFaultedException(faulted.Reason, faulted.Detail);
            }

            if (interruption is not null)
            {
                owner.LogTrainerStoppedFromOutside(run.TrialId, run.Attempt, process.Id, stoppedBy!);
                return TrialOutcome.Interrupted(interruption);
            }

            if (crash is null)
            {
                // Told to stop (and killed if it did not): ends as a cancelled in-process trainer would.
                throw new OperationCanceledException("The trainer was stopped.", cancellationToken);
            }

            string lastOutput;
            lock (_lastErrors)
            {
                lastOutput = string.Join(Environment.NewLine, _lastErrors);
            }

            owner.LogTrainerCrashed(run.TrialId, run.Attempt, process.Id, crash, lastOutput);
            return TrialOutcome.Failed(crash);
        }

        /// <summary>Ended without an outcome and without being told to stop: what killed it is the attempt's reason.</summary>
        private string Crash(long? oomBefore)
        {
            long? oomKills = oomBefore is { } before && _oom.Read() is { } after ? after - before : null;
            return TrainerCrash.Describe(process.ExitCode, oomKills);
        }

        private void ReadOutput()
        {
            try
            {
                while (process.StandardOutput.ReadLine() is { } line)
                {
                    try
                    {
                        Handle(line);
                    }
                    catch (Exception ex)
                    {
                        // Never out of this thread (it would end the worker): the attempt ends with the first instead.
                        _fault ??= ExceptionDispatchInfo.Capture(ex);
                        Stop();
                    }
                }
            }
            catch (IOException)
            {
                // As the end of output.
            }
            finally
            {
                _outputEnded.TrySetResult();
            }
        }

        private void Handle(string line)
        {
            switch (TrialProcessChannel.Parse<FromTrainer>(line))
            {
                case BatchReported batch:
                    observer.BatchCompleted(batch.Progress);
                    break;
                case StillWorkingReported:
                    observer.StillWorking();
                    break;
                case ProgressReported progress:
                    observer.Progress(progress.Message);
                    break;
                case SpanStarted span:
                    _spans.Start(span);
                    break;
                case SpanStopped span:
                    _spans.Stop(span);
                    break;
                case TrainerLogged log:
                    owner.Loggers.CreateLogger(log.Category).Log(
                        log.Level, default, log.Exception is null ? log.Message : log.Message + Environment.NewLine + log.Exception, null, static (text, _) => text);
                    break;
                case EpochReported epoch:
                    _epoch = AnswerAsync(epoch);
                    break;
                case FromTrainer end when end is TrainingEnded or TrainingCancelled or TrainingFaulted:
                    Volatile.Write(ref _end, end);
                    KillAfter(ExitGrace);
                    break;
                default:
                    owner.LogTrainerOutput(run.TrialId, line);
                    break;
            }
        }

        /// <summary>Records the epoch as in-process training would, then answers the child, which waits for it.</summary>
        private async Task AnswerAsync(EpochReported epoch)
        {
            // The epoch span is current, as in-process: the observer's events (pruned, lease lost) land on it.
            Activity.Current = _spans.Innermost ?? Activity.Current;
            bool accepted;
            try
            {
                accepted = await observer.EpochCompletedAsync(epoch.Metrics, epoch.Checkpoints, cancellationToken);
            }
            catch (Exception ex)
            {
                // In-process this exception would end TrainAsync; it still does, once the child has stopped.
                _fault = ExceptionDispatchInfo.Capture(ex);
                Stop();
                return;
            }

            Send(new EpochAnswer(accepted, observer.PruneReason));
        }

        private void ReadErrors()
        {
            try
            {
                while (process.StandardError.ReadLine() is { } line)
                {
                    owner.LogTrainerOutput(run.TrialId, line);
                    lock (_lastErrors)
                    {
                        _lastErrors.Enqueue(line);
                        if (_lastErrors.Count > 10)
                        {
                            _lastErrors.Dequeue();
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
        }

        /// <summary>Asks the trainer to stop before its next batch; kills it if it has not exited after the grace.</summary>
        private void Stop()
        {
            if (Interlocked.Exchange(ref _stopping, 1) == 1)
            {
                return;
            }

            Send(new StopTraining());
            // A hung trainer would not hear it, and its lease is no longer renewed: the attempt must end before it lapses.
            KillAfter(observer.Hung ? TimeSpan.Zero : StopGrace);
        }

        private void KillAfter(TimeSpan grace) =>
            _ = process.WaitForExitAsync().WaitAsync(grace).ContinueWith(
                exited =>
                {
                    if (exited.IsFaulted)
                    {
                        _ = exited.Exception;
                        Kill();
                    }
                },
                CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

        private void Kill()
        {
            Interlocked.Exchange(ref _stopping, 1);
            try
            {
                process.Kill();
                owner.LogTrainerKilled(run.TrialId, run.Attempt, process.Id);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // It has exited meanwhile.
            }
        }

        // As the base type: only then does the message carry its "type" discriminator.
        private void Send(ToTrainer message) => Write(message);

        private void Send(TrialProcessStart start) => Write(start);

        private void Write<T>(T message)
        {
            try
            {
                _input.Send(message);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The child has gone; how it ended is read from its exit.
            }
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Trial {TrialId} attempt {Attempt} trains in process {ProcessId}")]
    private partial void LogTrainerStarted(string trialId, int attempt, int processId);

    [LoggerMessage(31, LogLevel.Error, "Trial {TrialId} attempt {Attempt}: the trainer process {ProcessId} ended without an outcome: {Reason}. Its last output: {LastOutput}")]
    private partial void LogTrainerCrashed(string trialId, int attempt, int processId, string reason, string lastOutput);

    [LoggerMessage(34, LogLevel.Warning, "Trial {TrialId} attempt {Attempt}: the trainer process {ProcessId} was stopped by {Signal} from outside while starting; the trial goes back to the queue")]
    private partial void LogTrainerStoppedFromOutside(string trialId, int attempt, int processId, string signal);

    [LoggerMessage(32, LogLevel.Warning, "Trial {TrialId} attempt {Attempt}: killed the trainer process {ProcessId}, which did not stop when asked")]
    private partial void LogTrainerKilled(string trialId, int attempt, int processId);

    [LoggerMessage(33, LogLevel.Warning, "Trial {TrialId} trainer: {Line}")]
    private partial void LogTrainerOutput(string trialId, string line);
}
