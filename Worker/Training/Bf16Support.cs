using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Experiments.Worker.Training;

/// <summary>
/// Whether a device does bf16 arithmetic in hardware: on x86, AVX512-BF16 or AMX-BF16 (CPUID leaf 7); on CUDA,
/// compute capability 8.0 or later (Ampere). Elsewhere libtorch would emulate bf16, slower than fp32: refused.
/// </summary>
public static class Bf16Support
{
    private static readonly Lazy<string?> CpuProblem = new(FindCpuProblem);

    /// <summary>Null when <paramref name="device"/> computes bf16 in hardware; otherwise why not, as a sentence part.</summary>
    /// <param name="device">A torch device spelling (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>): read without initialising the device.</param>
    public static string? Problem(string device) => device switch
    {
        "cpu" => CpuProblem.Value,
        "cuda" => CudaProblem(0),
        ['c', 'u', 'd', 'a', ':', .. var index] when int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out int n) => CudaProblem(n),
        _ => $"needs a CPU with AVX512-BF16/AMX-BF16 or a CUDA GPU of compute capability >= 8.0, not '{device}'",
    };

    /// <summary>CPUID.(EAX=7,ECX=1):EAX bit 5 is AVX512_BF16; CPUID.(EAX=7,ECX=0):EDX bit 22 is AMX-BF16.</summary>
    private static string? FindCpuProblem()
    {
        if (!X86Base.IsSupported)
            return $"needs an x86 CPU with AVX512-BF16 or AMX-BF16; this one is {RuntimeInformation.ProcessArchitecture}";
        bool avx512Bf16 = Avx512F.IsSupported && (X86Base.CpuId(7, 1).Eax & (1 << 5)) != 0;
        bool amxBf16 = (X86Base.CpuId(7, 0).Edx & (1 << 22)) != 0;
        return avx512Bf16 || amxBf16 ? null : "needs a CPU with AVX512-BF16 or AMX-BF16 (this CPU has neither; use precision: fp32)";
    }

    // TorchSharp does not expose the compute capability; nvidia-smi reports it for the same device index.
    private static string? CudaProblem(int index)
    {
        string? capability = null;
        try
        {
            using var process = Process.Start(new ProcessStartInfo("nvidia-smi", ["--query-gpu=compute_cap", "--format=csv,noheader", "-i", index.ToString(CultureInfo.InvariantCulture)])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is not null)
            {
                capability = process.StandardOutput.ReadToEnd().Trim();
                process.WaitForExit();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "needs a GPU of compute capability >= 8.0, and nvidia-smi (to read it) was not found";
        }
        return double.TryParse(capability, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 8.0
            ? null
            : $"needs a GPU of compute capability >= 8.0 (cuda:{index} reports '{capability}'; use precision: fp32)";
    }
}
