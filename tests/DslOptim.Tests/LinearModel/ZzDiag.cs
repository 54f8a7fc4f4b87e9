using System;
using System.Diagnostics;
using DslOptim.Kernels;
using Xunit;
using Xunit.Abstractions;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

[Collection(WorkersCollection.Name)]
public sealed class ZzDiag(ITestOutputHelper output)
{
    [Fact]
    public void Diag()
    {
        var (problem, w) = LinearData.Problem<double>(1000, 300, 3, seed: 3);
        var ws1 = new LinearWorkspace<double>(problem, threads: 1);
        var ws2 = new LinearWorkspace<double>(problem, threads: 2);
        for (int i = 0; i < 50; i++) { Model.Gradient(problem, w, ws1, default(SquaredLoss<double>)); Model.Gradient(problem, w, ws2, default(SquaredLoss<double>)); }
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < 200; i++) Model.Gradient(problem, w, ws1, default(SquaredLoss<double>));
        output.WriteLine($"1 thread: {sw.Elapsed.TotalMicroseconds / 200} us");
        long h = ChunkWorkers.HelperItems;
        sw.Restart();
        for (int i = 0; i < 200; i++) Model.Gradient(problem, w, ws2, default(SquaredLoss<double>));
        output.WriteLine($"2 threads: {sw.Elapsed.TotalMicroseconds / 200} us, helper items {ChunkWorkers.HelperItems - h} of {200 * 16}");
    }
}
