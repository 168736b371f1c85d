using System.Text.Json.Serialization;

namespace Experiments.Core.Specs;

// The closed sets a training config chooses from. Each member's JsonStringEnumMemberName is its one spelling: in
// sweep files, in stored records, in the API and on the pages (see Spelling<T>). Spellings never change once
// released, so records written by any version keep reading. Settings that later issues add belong here as enums
// of their own.

/// <summary><c>dataset</c>: which images a trial trains on (facts about each in <c>DatasetCatalog</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Dataset>))]
public enum Dataset
{
    [JsonStringEnumMemberName("cifar10")]
    Cifar10,

    [JsonStringEnumMemberName("fashion_mnist")]
    FashionMnist,

    /// <summary>Seeded, generated 32x32 colour images: for checking the pipeline without any download.</summary>
    [JsonStringEnumMemberName("synthetic")]
    Synthetic,
}

/// <summary><c>optimizer</c>: PyTorch's update formulas.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Optimizer>))]
public enum Optimizer
{
    [JsonStringEnumMemberName("adam")]
    Adam,

    /// <summary>Adam with decoupled weight decay.</summary>
    [JsonStringEnumMemberName("adamw")]
    AdamW,

    /// <summary>SGD with <c>momentum</c> (and <c>nesterov</c>).</summary>
    [JsonStringEnumMemberName("sgd")]
    Sgd,
}

/// <summary><c>scheduler</c>: the learning rate over the run, after any <c>warmup_epochs</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Scheduler>))]
public enum Scheduler
{
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Times <c>gamma</c> every <c>step_size</c> epochs.</summary>
    [JsonStringEnumMemberName("step")]
    Step,

    [JsonStringEnumMemberName("cosine")]
    Cosine,

    /// <summary>PyTorch's OneCycleLR with its defaults.</summary>
    [JsonStringEnumMemberName("onecycle")]
    OneCycle,
}

/// <summary><c>augmentation</c>: what is done to each training image.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Augmentation>))]
public enum Augmentation
{
    [JsonStringEnumMemberName("none")]
    None,

    /// <summary>Horizontal flip, drawn per image.</summary>
    [JsonStringEnumMemberName("flip")]
    Flip,

    /// <summary>Random crop from the image zero-padded by 4 pixels, drawn per image.</summary>
    [JsonStringEnumMemberName("crop")]
    Crop,

    [JsonStringEnumMemberName("crop_flip")]
    CropFlip,
}

/// <summary><c>stem</c>: ResNet-34's first layers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ResNetStem>))]
public enum ResNetStem
{
    /// <summary>conv 7x7 stride 2 padding 3 + BN + ReLU + max-pool 3x3 stride 2 (torchvision, the notebook).</summary>
    [JsonStringEnumMemberName("imagenet")]
    ImageNet,

    /// <summary>conv 3x3 stride 1 padding 1 + BN + ReLU, no pool: 32x32 inputs keep their resolution.</summary>
    [JsonStringEnumMemberName("cifar")]
    Cifar,
}

/// <summary><c>checkpoint</c>: which checkpoints a trial keeps when it ends.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeptCheckpoints>))]
public enum KeptCheckpoints
{
    /// <summary>The last epoch's.</summary>
    [JsonStringEnumMemberName("last")]
    Last,

    /// <summary>The epoch with the best validation accuracy.</summary>
    [JsonStringEnumMemberName("best")]
    Best,

    [JsonStringEnumMemberName("best_last")]
    BestLast,
}

/// <summary><c>precision</c>: the number format a trial computes in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Precision>))]
public enum Precision
{
    /// <summary>float32 throughout.</summary>
    [JsonStringEnumMemberName("fp32")]
    Fp32,

    /// <summary>
    /// Mixed precision: convolutions and the linear layer compute in bfloat16; weights (the optimizer's master copy),
    /// loss and BatchNorm statistics stay float32. Needs hardware with bf16 arithmetic (the worker refuses otherwise).
    /// </summary>
    [JsonStringEnumMemberName("bf16")]
    Bf16,
}

/// <summary><c>init</c>: how a fresh model's weights are drawn (before any <c>init_from</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WeightInit>))]
public enum WeightInit
{
    /// <summary>
    /// torchvision's resnet34: convolutions Kaiming-normal (fan_out, ReLU), BatchNorm weight 1 and bias 0, the linear
    /// layer PyTorch's default. What every trial used before this setting existed, so it is the default.
    /// </summary>
    [JsonStringEnumMemberName("torchvision")]
    Torchvision,

    /// <summary>
    /// PyTorch's layer defaults, as the notebook's hand-built model gets them: convolutions and the linear layer
    /// kaiming_uniform(a=sqrt(5)) with biases uniform in +-1/sqrt(fan_in), BatchNorm weight 1 and bias 0.
    /// </summary>
    [JsonStringEnumMemberName("pytorch")]
    PyTorch,
}
