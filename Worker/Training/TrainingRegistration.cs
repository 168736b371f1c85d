using Experiments.Core.Datasets;
using Experiments.Core.Checkpoints;
using Experiments.Core.Datasets.Files;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Experiments.Worker.Training;

public static class TrainingRegistration
{
    /// <summary>Binds and validates <see cref="TrainingOptions"/>, <see cref="CheckpointOptions"/> and <see cref="DataOptions"/>, registers the checkpoint store and <see cref="ITrialTrainer"/>.</summary>
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrainingOptions>().Bind(builder.Configuration.GetSection(TrainingOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrainingOptions>, TrainingOptionsValidator>();
        builder.Services.AddOptions<CheckpointOptions>().Bind(builder.Configuration.GetSection(CheckpointOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CheckpointOptions>, TrainingOptionsValidator>();
        builder.Services.AddOptions<DataOptions>().Bind(builder.Configuration.GetSection(DataOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidation>();
        builder.Services.AddSingleton(sp => new CheckpointStore(sp.GetRequiredService<IOptions<CheckpointOptions>>().Value.Root));
        builder.Services.AddSingleton<TrialTrainer>();
        builder.Services.AddSingleton<ITrialTrainer>(services => services.GetRequiredService<TrialTrainer>());
        return builder;
    }
}
