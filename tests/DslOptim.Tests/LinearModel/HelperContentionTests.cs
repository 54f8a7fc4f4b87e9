using System;
using System.Diagnostics;
using System.Threading;
using Xunit;
using Model = DslOptim.Kernels.LinearModel;

namespace DslOptim.Tests.LinearModel;

/// <summary>
/// The conditions of a full test run, reproduced inside the linear-model tests: another test class keeps the shared
/// helpers busy with its own long two-thread calls (they run one job at a time, so this class's calls then run inline)
/// and leaves them free only now and then. The determinism check must still pass: bitwise equal on every call, and
/// shared with a helper thread at least once.
/// </summary>
[Collection(WorkersCollection.Name)]
public sealed class HelperContentionTests
{
    private const int Checks = 5;

    [Fact]
    public void DeterminismCheckHoldsWhileAnotherThreadKeepsTheHelpersBusy()
    {
        // A product long enough (tens of ms on two threads) to outlast many gradient calls, then a short pause.
        const int size = 900;
        double[] a = LinearData.Uniform(size * size, 41), b = LinearData.Uniform(size * size, 42);
        var c = new double[size * size];
        var stop = new StrongBox();
        var other = new Thread(() =>
        {
            while (!Volatile.Read(ref stop.Value))
            {
                Model.Multiply<double>(a, size, size, b, size, c, threads: 2);
                Thread.Sleep(2);
            }
        })
        {
            IsBackground = true,
        };
        other.Start();
        try
        {
            for (int check = 0; check < Checks; check++)
            {
                DeterminismTests.CheckGradient<float, SquaredLoss<float>>(1000, 300, 1, default);
                DeterminismTests.CheckGradient<double, PseudoHuberLoss<double>>(1000, 300, 1, new PseudoHuberLoss<double>(0.5));
            }
        }
        finally
        {
            Volatile.Write(ref stop.Value, true);
            other.Join();
        }
    }

    private sealed class StrongBox
    {
        public bool Value;
    }
}
