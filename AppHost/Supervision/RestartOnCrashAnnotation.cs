namespace Experiments.AppHost.Supervision;

/// <summary>Marks a resource the <see cref="CrashRestartSupervisor"/> brings back when it exits unasked.</summary>
public sealed class RestartOnCrashAnnotation : IResourceAnnotation;
