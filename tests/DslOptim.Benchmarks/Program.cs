using BenchmarkDotNet.Running;

namespace DslOptim.Benchmarks;

/// <summary>
/// Entry point: <c>--filter '*AnalyzerBenchmarks*'</c> (or Generator/Step/LinearModel) selects a group,
/// <c>--job short</c> (BenchmarkDotNet's ShortRun) makes the whole suite quick.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
