namespace Experiments.Dashboard.Ui.Submit;

/// <summary>The sweep the Submit page starts from: small, quick, and showing each kind of parameter.</summary>
public static class ExampleSweep
{
    public const string Yaml = """
        name: lr-by-augmentation
        method: grid
        metric:
          name: val_accuracy
          goal: maximize
        parameters:
          lr:
            values: [0.001, 0.0003]
          augmentation:
            values: [none, crop_flip]
        seeds: [0, 1, 2]
        base:
          dataset: synthetic
          synthetic_size: 512
          epochs: 3
          batch_size: 64
          optimizer: adam
          scheduler: cosine
          checkpoint: best_last
        """;
}
