using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace DslOptim.Benchmarks;

/// <summary>
/// Entry point. BenchmarkDotNet's own options select and shape a run: <c>--filter '*IsotropicStep*'</c> (a class),
/// <c>--anyCategories Elementwise</c> (Elementwise, Isotropic, Adam; Floor, Kernel, Naive, TensorPrimitives, Tiled),
/// <c>--list flat</c>. One option of ours: <c>--quick</c> runs every selected benchmark with <see cref="QuickJob"/>, so
/// that the whole suite finishes in minutes (see run.sh and docs/performance.md).
/// </summary>
public static class Program
{
    /// <summary>
    /// The quick job: in process (no rebuild of the project and no process per case: the rebuild alone took ~2 minutes
    /// on the loaded development VM), 2 warm-up and 5 measured iterations of ~80 ms each (BenchmarkDotNet's default is
    /// 15–100 iterations of 500 ms, each case in its own process). Medians stay meaningful for memory-bound steps of
    /// 0.01–100 ms (an iteration repeats the step to fill its 80 ms); the min–max spread is wider than with the default
    /// job, and all cases share one process (one heap, one set of helper threads), which the default job does not. The
    /// iterations were 100 ms until the suite reached 598 s of its 10-minute budget. More than one warm-up: in process
    /// the first case of each method ran partly before the JIT's tier-up (30× slow in a trial run); since kernels are
    /// compiled optimized at their first call (TieredCompilationQuickJitForLoops=false, see the project file) two
    /// suffice, and the third was dropped to keep the suite under 10 minutes.
    /// </summary>
    public static Job QuickJob { get; } = Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithIterationTime(TimeInterval.FromMilliseconds(80))
        .WithId("Quick");

    public static void Main(string[] args)
    {
        // --paired-parameter-set [rounds]: the ParameterSet Adam and clipping ratios measured in pairs (ParameterSetPairedRatios).
        int paired = Array.IndexOf(args, "--paired-parameter-set");
        if (paired >= 0)
        {
            ParameterSetPairedRatios.Run(paired + 1 < args.Length ? Positive(args[paired + 1], "--paired-parameter-set [rounds]") : 40);
            return;
        }

        // --paired-steps [rounds] [N…]: the step groups' ratios measured in pairs (PairedStepRatios).
        int pairedSteps = Array.IndexOf(args, "--paired-steps");
        if (pairedSteps >= 0)
        {
            int[] numbers = args.Skip(pairedSteps + 1).Select(a => Positive(a, "--paired-steps [rounds] [N ...]")).ToArray();
            PairedStepRatios.Run(numbers.Length > 0 ? numbers[0] : 15, numbers.Length > 1 ? numbers[1..] : [1_000_000, 16_000_000]);
            return;
        }

        // --paired-linear [rounds] [all]: the linear-model step's ratios measured in pairs (LinearPairedRatios).
        int pairedLinear = Array.IndexOf(args, "--paired-linear");
        if (pairedLinear >= 0)
        {
            string[] options = args.Skip(pairedLinear + 1).ToArray();
            bool all = options.Contains("all");
            string[] numbers = options.Where(o => o != "all").ToArray();
            LinearPairedRatios.Run(numbers.Length > 0 ? Positive(numbers[0], "--paired-linear [rounds] [all]") : 15, all);
            return;
        }

        bool quick = args.Contains("--quick");
        IConfig? config = quick ? DefaultConfig.Instance.AddJob(QuickJob) : null;
        string[] rest = args.Where(a => a != "--quick").ToArray();
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
    }

    // A positive whole number from the command line; otherwise a message naming the option's form, and exit code 2.
    private static int Positive(string text, string usage)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value > 0)
        {
            return value;
        }

        Console.Error.WriteLine($"'{text}' is not a positive whole number; usage: {usage}");
        Environment.Exit(2);
        return 0;
    }
}
