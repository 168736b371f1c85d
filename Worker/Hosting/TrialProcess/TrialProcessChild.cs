using System.Diagnostics;
using System.Runtime.InteropServices;
using Experiments.Core.Checkpoints;
using Experiments.Core.Records;
using Experiments.Worker.Training;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>
/// The hidden <c>run-trial</c> mode of the Worker executable: trains one attempt with the in-process
/// <see cref="TrialTrainer"/> for the worker that started it (<see cref="TrialProcessTrainer"/>), reading the attempt
/// and the answers to its epoch reports on stdin and writing every observer call, span and log line as JSON lines on
/// stdout. It owns nothing in the store: a crash here costs the worker nothing but this attempt.
/// </summary>
public static class TrialProcessChild
{
    public const string Command = "run-trial";

    public static async Task<int> RunAsync()
    {
        // stdout carries the protocol only: anything else written through Console goes to stderr, which the worker logs.
        var output = new TrialProcessChannel(new StreamWriter(Console.OpenStandardOutput(), TrialProcessChannel.Utf8));
        Console.SetOut(Console.Error);
        using var terminal = IgnoreTerminalSignals();
        var input = new StreamReader(Console.OpenStandardInput(), TrialProcessChannel.Utf8);
        if (input.ReadLine() is not { } first || TrialProcessChannel.Parse<TrialProcessStart>(first) is not { } start)
        {
            await Console.Error.WriteLineAsync($"{Command} is started by a worker, which writes the attempt to its stdin.");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        var observer = new ForwardingObserver(output);
        new Thread(() => ReadWorker(input, observer, stop)) { IsBackground = true, Name = "worker input" }.Start();
        using var spans = SpanForwarder.Start(output);
        using var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Information).AddProvider(new ForwardingLoggerProvider(output)));
        FromTrainer end;
        try
        {
            var trainer = new TrialTrainer(
                new CheckpointStore(start.CheckpointRoot), Options.Create(start.Training), Options.Create(start.Data), loggers.CreateLogger<TrialTrainer>());
            end = new TrainingEnded(await trainer.TrainAsync(start.Run, observer, stop.Token));
        }
        catch (OperationCanceledException ex)
        {
            end = new TrainingCancelled(ex.Message);
        }
        catch (Exception ex)
        {
            // The worker records the reason as it would in-process (no server paths); its log keeps the whole text.
            end = new TrainingFaulted(FailureReason.Of(ex), ex.ToString());
        }

        Send(output, end);
        return 0;
    }

    /// <summary>Sends, or dies with the worker when it has gone (a broken pipe).</summary>
    internal static void Send(TrialProcessChannel output, FromTrainer message)
    {
        try
        {
            output.Send(message);
        }
        catch (IOException)
        {
            DieWithWorker();
        }
    }

    private static void ReadWorker(StreamReader input, ForwardingObserver observer, CancellationTokenSource stop)
    {
        try
        {
            while (input.ReadLine() is { } line)
            {
                switch (TrialProcessChannel.Parse<ToTrainer>(line))
                {
                    case EpochAnswer answer:
                        observer.Answer(answer);
                        break;
                    case StopTraining:
                        TryCancel(stop);
                        break;
                }
            }
        }
        catch (IOException)
        {
            // As end of input: the worker has gone.
        }

        DieWithWorker();
    }

    private static void TryCancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Training has ended already.
        }
    }

    /// <summary>
    /// The end of stdin means the worker is gone (killed, crashed): a trainer nobody will read must not burn the
    /// machine's cores, and nothing it holds needs a clean exit (its files are its attempt's own, never committed).
    /// </summary>
    private static void DieWithWorker()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
    }

    /// <summary>
    /// Ctrl+C in a terminal (and a service manager's SIGTERM to the whole group) reaches the trainer too: the worker
    /// decides how its attempt ends (a graceful stop hands it back), so the trainer waits for the worker's word.
    /// </summary>
    private static IDisposable IgnoreTerminalSignals()
    {
        if (OperatingSystem.IsWindows())
        {
            return new CancellationTokenSource();
        }

        PosixSignal[] signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT, PosixSignal.SIGHUP];
        var registrations = signals.Select(s => PosixSignalRegistration.Create(s, context => context.Cancel = true)).ToList();
        return new Registrations(registrations);
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }

    /// <summary>The trainer's observer calls, sent to the worker; an epoch report waits for the worker's answer.</summary>
    private sealed class ForwardingObserver(TrialProcessChannel output) : ITrainingObserver
    {
        private TaskCompletionSource<EpochAnswer>? _pending;
        private string? _pruneReason;

        public string? PruneReason => Volatile.Read(ref _pruneReason);

        public async Task<bool> EpochCompletedAsync(EpochMetrics metrics, TrialCheckpoints checkpoints, CancellationToken cancellationToken)
        {
            var answer = new TaskCompletionSource<EpochAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pending, answer);
            Send(output, new EpochReported(metrics, checkpoints));
            var answered = await answer.Task.WaitAsync(cancellationToken);
            if (answered.PruneReason is { } reason)
            {
                Volatile.Write(ref _pruneReason, reason);
            }

            return answered.Accepted;
        }

        public void Answer(EpochAnswer answer) => Interlocked.Exchange(ref _pending, null)?.TrySetResult(answer);

        public void Progress(string message) => Send(output, new ProgressReported(message));

        public void BatchCompleted(BatchProgress progress) => Send(output, new BatchReported(progress));

        public void StillWorking() => Send(output, new StillWorkingReported());
    }
}
