using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DslOptim.Benchmarks;

/// <summary>
/// The step benchmarks' ratios (kernel / floor, reference / kernel) measured in pairs, for a machine whose memory
/// bandwidth drifts between cases: <c>dotnet DslOptim.Benchmarks.dll --paired-steps [rounds]</c>.
/// </summary>
/// <remarks>
/// <para>BenchmarkDotNet measures one case after another, so a ratio of two cases measured a minute apart carries
/// whatever the machine did in that minute. On the Zen 5 VM of session 5 the quick job put the float isotropic floor
/// at 6.0 ms and the float Adam floor at 11.8 ms, slower than Adam itself (9.4 ms): the bandwidth the VM got moved
/// between cases by more than the effects measured.</para>
/// <para>Here every method of one case (class, T, N, threads) takes turns within each round (the order reversed every
/// other round); each time is divided by the floor's time of the same round (and a reference's by its kernel's), and
/// the median of those per-round ratios is reported with the medians of the times. The classes are the
/// BenchmarkDotNet classes themselves (their <see cref="BenchmarkAttribute"/> methods and categories, their setup), so
/// this measures exactly what the tables do.</para>
/// </remarks>
public static class PairedStepRatios
{
    private static readonly Type[] Classes =
    [
        typeof(ElementwiseStepBenchmarks<>), typeof(IsotropicStepBenchmarks<>), typeof(AdamStepBenchmarks<>),
    ];

    /// <summary>Runs every case and prints one table.</summary>
    /// <param name="rounds">Rounds of samples per case.</param>
    /// <param name="sizes">The N to run (both of the benchmarks' by default).</param>
    public static void Run(int rounds, IReadOnlyList<int> sizes)
    {
        Console.WriteLine($"{rounds} rounds per case; each sample is the mean of enough steps to take ≥ 20 ms; ratios are medians of per-round ratios.");
        Console.WriteLine("| class | T | N | threads | method | median ms | min ms | max ms | / floor | reference / kernel |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (Type open in Classes)
        {
            foreach (Type t in new[] { typeof(float), typeof(double) })
            {
                foreach (int n in sizes)
                {
                    foreach (int threads in new[] { 1, 2 })
                    {
                        RunCase(open.MakeGenericType(t), t.Name == "Single" ? "float" : "double", n, threads, rounds);
                    }
                }
            }
        }
    }

    private static void RunCase(Type type, string typeName, int n, int threads, int rounds)
    {
        object bench = Activator.CreateInstance(type)!;
        type.GetProperty("N")!.SetValue(bench, n);
        type.GetProperty("Threads")!.SetValue(bench, threads);
        type.GetMethod("Setup")!.Invoke(bench, null);
        try
        {
            // The methods this case runs: the references (Naive, TensorPrimitives, Tiled) at one thread only, as in
            // the BenchmarkDotNet tables (StepConfig).
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null)
                .Select(m => (Method: m, Categories: m.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories ?? []))
                .Where(m => threads == 1 || !m.Categories.Any(c => StepConfig.SingleThreaded.Contains(c)))
                .Select(m => (m.Method.Name, Step: AsAction(m.Method, bench), IsFloor: m.Categories.Contains("Floor")))
                .ToArray();
            string floor = methods.Single(m => m.IsFloor).Name;

            Dictionary<string, List<double>> times = MeasureRounds(methods.Select(m => (m.Name, m.Step)).ToArray(), rounds);
            foreach (var m in methods)
            {
                List<double> ts = times[m.Name];
                double toFloor = Median(ts.Zip(times[floor], (a, b) => a / b));

                // A reference (AdamNaive, ClipTensorPrimitives, …) against the kernel of the same name (AdamKernel, …).
                string? kernel = StepConfig.SingleThreaded
                    .Where(suffix => m.Name.EndsWith(suffix, StringComparison.Ordinal))
                    .Select(suffix => string.Concat(m.Name.AsSpan(0, m.Name.Length - suffix.Length), "Kernel"))
                    .FirstOrDefault(times.ContainsKey);
                string toKernel = kernel is null ? "" : Median(ts.Zip(times[kernel], (a, b) => a / b)).ToString("F2", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {type.Name.Split('`')[0]} | {typeName} | {n} | {threads} | {m.Name} | {Median(ts):G3} | {ts.Min():G3} | {ts.Max():G3} | {toFloor:F2} | {toKernel} |"));
            }
        }
        finally
        {
            type.GetMethod("Cleanup")!.Invoke(bench, null);
        }
    }

    /// <summary>
    /// Warms every step up (so that each reaches its optimized code) and sizes its samples (≥ 20 ms each), then runs
    /// <paramref name="rounds"/> rounds in which every step takes one sample in turn, the order reversed every other
    /// round. Returns each step's sample times in ms (mean per step), in round order.
    /// </summary>
    internal static Dictionary<string, List<double>> MeasureRounds(IReadOnlyList<(string Name, Action Step)> steps, int rounds)
    {
        var repeats = new Dictionary<string, int>();
        foreach (var (name, step) in steps)
        {
            step();
            long t0 = Stopwatch.GetTimestamp();
            step();
            double ms = Math.Max(Stopwatch.GetElapsedTime(t0).TotalMilliseconds, 1e-3);
            repeats[name] = Math.Max(1, (int)Math.Ceiling(20 / ms));
            for (int k = 0; k < Math.Min(repeats[name], 50); k++)
            {
                step();
            }
        }

        var times = steps.ToDictionary(m => m.Name, _ => new List<double>());
        for (int r = 0; r < rounds; r++)
        {
            foreach (var (name, step) in r % 2 == 0 ? steps : steps.Reverse())
            {
                int count = repeats[name];
                long t0 = Stopwatch.GetTimestamp();
                for (int k = 0; k < count; k++)
                {
                    step();
                }

                times[name].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / count);
            }
        }

        return times;
    }

    // A void benchmark as a delegate; one that returns a value (the isotropic floor returns its norm) through
    // reflection, whose cost (well under a microsecond) is nothing against a step of 0.05 ms or more.
    internal static Action AsAction(MethodInfo method, object target) =>
        method.ReturnType == typeof(void) ? method.CreateDelegate<Action>(target) : () => method.Invoke(target, null);

    /// <summary>The median of the values (the mean of the middle two for an even count).</summary>
    internal static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]);
    }
}
