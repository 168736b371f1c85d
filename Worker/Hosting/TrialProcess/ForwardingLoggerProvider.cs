namespace Experiments.Worker.Hosting.TrialProcess;

/// <summary>In the trainer child: log lines go to the worker, which writes them to its own log under the same category.</summary>
internal sealed class ForwardingLoggerProvider(TrialProcessChannel output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ForwardingLogger(output, categoryName);

    public void Dispose()
    {
    }

    private sealed class ForwardingLogger(TrialProcessChannel output, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            TrialProcessChild.Send(output, new TrainerLogged(logLevel, category, formatter(state, exception), exception?.ToString()));
    }
}
