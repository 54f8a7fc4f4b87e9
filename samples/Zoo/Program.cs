using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Zoo;

/// <summary>
/// The command line: <c>dotnet run -c Release --project samples/Zoo [options]</c> (see <see cref="Options.Usage"/>).
/// Every optimizer of the zoo on one planted logistic regression problem, in one table.
/// </summary>
public static class Program
{
    public const int ExitSuccess = 0;
    public const int ExitFailure = 1;
    public const int ExitUsage = 2;

    /// <summary>n, the rows of the dataset.</summary>
    public const int Samples = 2000;

    /// <summary>d, the parameters.</summary>
    public const int Features = 100;

    /// <summary>The target loss is L* + this gap, L* the minimum of the loss.</summary>
    public const double TargetGap = 1e-3;

    /// <summary>The table's column headers.</summary>
    public static readonly string[] Columns = { "method", "hyperparameters", "final loss", "steps to target", "state B/param", "time/step (ns)" };

    public static int Main(string[] args) => Run(args, Console.Out);

    /// <summary>Runs the sample in-process.</summary>
    /// <param name="args">The command line (see <see cref="Options.Usage"/>).</param>
    /// <param name="output">The header and the table.</param>
    /// <param name="error">Error messages; null for the console's error stream.</param>
    /// <returns>0 done, 1 a run failed, 2 bad options.</returns>
    public static int Run(string[] args, TextWriter output, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        error ??= Console.Error;

        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            Options options;
            try
            {
                options = Options.Parse(args);
            }
            catch (OptionsException exception)
            {
                error.WriteLine("error: " + exception.Message);
                error.WriteLine("Run with --help for the options.");
                return ExitUsage;
            }
            if (options.Help)
            {
                output.WriteLine(Options.Usage);
                return ExitSuccess;
            }

            try
            {
                RunZoo(options, output);
                return ExitSuccess;
            }
            catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
            {
                error.WriteLine("error: " + exception.Message);
                return ExitFailure;
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    private static void RunZoo(Options options, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var problem = LogisticProblem.Create(Samples, Features, options.Seed);
        var minimum = problem.MinimumLoss();
        var target = minimum + TargetGap;
        var initial = problem.Loss(new double[Features]);

        output.WriteLine($"Optimizer zoo: logistic regression on planted data, n = {Samples}, d = {Features}, seed {options.Seed}.");
        output.WriteLine($"  x_ij = s_j·N(0, 1), s_j log-spaced from 1 to {1 / LogisticProblem.ScaleRange:0.###}; y_i = sign(x_iᵀw⋆), w⋆ ~ N(0, I_d) scaled so x_iᵀw⋆ ~ N(0, {LogisticProblem.MarginScale:0.##}²);");
        output.WriteLine($"  each label flipped with probability {LogisticProblem.LabelNoise:0.##} ({problem.Flipped} flipped).");
        output.WriteLine($"  L(w) = (1/n) Σ log(1 + exp(−y_i x_iᵀw)); ∇L by a plain loop over the rows, the same for every method.");
        output.WriteLine($"  Every method starts at w = 0 (L = ln 2 = {initial:0.000000}) — the constrained two at a point of their set — and runs {options.Steps} steps.");
        output.WriteLine($"  Target loss L* + {TargetGap:0.###} = {target:0.000000}, L* = {minimum:0.000000} the minimum (Newton's method).");
        output.WriteLine($"  Hyperparameters: η (and ε of the dual-space three) from a 1–2–5 grid on seed 1 — the lowest loss after 500 steps,");
        output.WriteLine($"  ties to the fewest steps to the target, among η whose next grid value still reaches it; the rest at the defaults.");
        output.WriteLine($"  State B/param: per-element buffers of the optimizer's State<double> × sizeof(double).");
        output.WriteLine($"  Time/step: Step alone (the run's gradients replayed), median of {Trainer.TimingRepeats} replays. Indicative only: a shared");
        output.WriteLine($"  2-core machine and d = {Features}; the BenchmarkDotNet project (tests/DslOptim.Benchmarks) is the place for speed.");
        output.WriteLine();

        var trainer = new Trainer(problem, options.Steps, target);
        var table = new Table(2, Columns);
        foreach (var method in Methods.All)
        {
            var result = trainer.Run(method);
            table.Add(
                method.Name,
                method.Hyperparameters,
                Loss(result.FinalLoss),
                result.StepsToTarget is { } steps ? steps.ToString(CultureInfo.InvariantCulture) : "—",
                result.StateBytesPerParameter.ToString(CultureInfo.InvariantCulture),
                result.NanosecondsPerStep.ToString("0", CultureInfo.InvariantCulture));
        }
        table.Write(output);
        output.WriteLine();
        output.WriteLine($"{Methods.All.Count} methods, {options.Steps} steps each, in {clock.Elapsed.TotalSeconds:0.0} s.");
    }

    private static string Loss(double value) => double.IsFinite(value) ? value.ToString("0.000000", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
}
