using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace DslOptim.Benchmarks;

/// <summary>
/// The Adam and clipping ratios of <see cref="ParameterSetBenchmarks"/> measured in pairs, for a shared, loaded machine:
/// <c>dotnet DslOptim.Benchmarks.dll --paired-parameter-set [rounds]</c>.
/// </summary>
/// <remarks>
/// On the development VM (2 vCPUs, load average 10–20 from other sessions) the quick BenchmarkDotNet job gave the
/// 1,000-tensor clipping step 0.48–1.46× of the one-tensor set over ten runs, and the plain span step — the same work
/// as the one-tensor set — 0.48–1.75×: the load changes between cases by more than the effect measured. Here the cases
/// take turns within each round (5 steps each, the order reversed every other round), each time is divided by the
/// baseline's time of the same round, and the median of those per-round ratios is reported, in wall time and in
/// process CPU time (<see cref="Environment.CpuUsage"/>: time spent waiting for a CPU is not counted, memory stalls
/// are). The span step's ratio is the noise gauge: it should be 1.00.
/// </remarks>
public static class ParameterSetPairedRatios
{
    private const int StepsPerSample = 5;

    /// <summary>Runs the measurement and prints one table per thread count.</summary>
    /// <param name="rounds">Rounds of samples per thread count.</param>
    public static void Run(int rounds)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var bench = new ParameterSetBenchmarks { Threads = threads };
            bench.Setup();
            try
            {
                foreach (var cases in new[]
                {
                    new (string Name, Action Step)[]
                    {
                        ("AdamOneTensorSet", bench.AdamOneTensorSet),
                        ("AdamThousandTensorSet", bench.AdamThousandTensorSet),
                        ("AdamOneTensorSpan", bench.AdamOneTensorSpan),
                    },
                    new (string Name, Action Step)[]
                    {
                        ("ClipOneTensorSet", bench.ClipOneTensorSet),
                        ("ClipThousandTensorSet", bench.ClipThousandTensorSet),
                        ("ClipThousandSlicesSet", bench.ClipThousandSlicesSet),
                        ("ClipOneTensorSpan", bench.ClipOneTensorSpan),
                    },
                })
                {
                    Measure(cases, threads, rounds);
                }
            }
            finally
            {
                bench.Cleanup();
            }
        }
    }

    private static void Measure((string Name, Action Step)[] cases, int threads, int rounds)
    {
        var wall = cases.ToDictionary(c => c.Name, _ => new List<double>());
        var cpu = cases.ToDictionary(c => c.Name, _ => new List<double>());
        for (int warm = 0; warm < 40; warm++)
        {
            foreach (var c in cases)
            {
                c.Step();
            }
        }

        for (int r = 0; r < rounds; r++)
        {
            foreach (var c in r % 2 == 0 ? cases : cases.Reverse())
            {
                TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
                long t0 = Stopwatch.GetTimestamp();
                for (int k = 0; k < StepsPerSample; k++)
                {
                    c.Step();
                }

                wall[c.Name].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds / StepsPerSample);
                cpu[c.Name].Add((Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds / StepsPerSample);
            }
        }

        string baseline = cases[0].Name;
        Console.WriteLine($"Threads = {threads}, {rounds} rounds of {StepsPerSample} steps per case; ratios are medians of per-round ratios to {baseline}");
        Console.WriteLine("| case | wall ms (median) | wall ratio | CPU ms (median) | CPU ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var c in cases)
        {
            double wallRatio = PairedStepRatios.Median(wall[c.Name].Zip(wall[baseline], (a, b) => a / b));
            double cpuRatio = PairedStepRatios.Median(cpu[c.Name].Zip(cpu[baseline], (a, b) => a / b));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {c.Name} | {PairedStepRatios.Median(wall[c.Name]):F3} | {wallRatio:F3} | {PairedStepRatios.Median(cpu[c.Name]):F3} | {cpuRatio:F3} |"));
        }

        Console.WriteLine();
    }
}
