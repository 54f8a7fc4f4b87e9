using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace DslOptim.Benchmarks;

/// <summary>
/// The linear-model step's ratios measured in pairs (see <see cref="PairedStepRatios"/> for why):
/// <c>dotnet DslOptim.Benchmarks.dll --paired-linear [rounds] [all]</c>. By default the k = 1 shapes only (the issue's
/// k = 1 target and its diagnostics); <c>all</c> adds the k = 16 and k = 10 shapes.
/// </summary>
/// <remarks>
/// Each case (shape, T, threads) runs the <see cref="LinearModelBenchmarks"/> methods of its category in interleaved
/// rounds. Besides time / floor, each k = 1 row gives time / <c>ReadTwice</c>: how far a method is above the least a
/// pass that needs each row twice can cost.
/// </remarks>
public static class LinearPairedRatios
{
    /// <summary>Runs every case and prints one table.</summary>
    /// <param name="rounds">Rounds of samples per case.</param>
    /// <param name="allShapes">Whether to run the k &gt; 1 shapes too.</param>
    public static void Run(int rounds, bool allShapes)
    {
        Console.WriteLine($"{rounds} rounds per case; each sample is the mean of enough steps to take ≥ 20 ms; ratios are medians of per-round ratios.");
        Console.WriteLine("| (n, d, k) | T | threads | method | median ms | min ms | max ms | / floor | / ReadTwice |");
        Console.WriteLine("|---|---|---:|---|---:|---:|---:|---:|---:|");
        foreach (LinearModelBenchmarks.Shape shape in LinearModelBenchmarks.Shapes().Where(s => allShapes || s.K == 1))
        {
            foreach (string type in new[] { "Float", "Double" })
            {
                foreach (int threads in new[] { 1, 2 })
                {
                    RunCase(shape, type, threads, rounds);
                }
            }
        }
    }

    private static void RunCase(LinearModelBenchmarks.Shape shape, string type, int threads, int rounds)
    {
        var bench = new LinearModelBenchmarks { Size = shape, Threads = threads };
        typeof(LinearModelBenchmarks).GetMethod("Setup" + type)!.Invoke(bench, null);

        // The category's methods, as BenchmarkDotNet runs them (the k = 1 diagnostics for k = 1 only).
        var methods = typeof(LinearModelBenchmarks).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<BenchmarkCategoryAttribute>()?.Categories.Contains("Linear" + type) == true)
            .Where(m => shape.K == 1 || !LinearModelBenchmarks.IsSingleOutputDiagnostic(m.Name))
            .Select(m => (m.Name, Step: PairedStepRatios.AsAction(m, bench), IsFloor: m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline))
            .ToArray();
        string floor = methods.Single(m => m.IsFloor).Name;
        string? readTwice = methods.Select(m => m.Name).FirstOrDefault(name => name.StartsWith("ReadTwice", StringComparison.Ordinal));

        Dictionary<string, List<double>> times = PairedStepRatios.MeasureRounds(methods.Select(m => (m.Name, m.Step)).ToArray(), rounds);
        foreach (var m in methods)
        {
            List<double> ts = times[m.Name];
            double toFloor = PairedStepRatios.Median(ts.Zip(times[floor], (a, b) => a / b));
            string toReadTwice = readTwice is null ? "" : PairedStepRatios.Median(ts.Zip(times[readTwice], (a, b) => a / b)).ToString("F2", CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| ({shape.N}, {shape.D}, {shape.K}) | {type.ToLowerInvariant()} | {threads} | {m.Name} | {PairedStepRatios.Median(ts):G3} | {ts.Min():G3} | {ts.Max():G3} | {toFloor:F2} | {toReadTwice} |"));
        }
    }
}
