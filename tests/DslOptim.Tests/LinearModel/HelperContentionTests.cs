using System;
using System.Diagnostics;
using System.Threading;
using DslOptim.Kernels;
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
        var stop = new StrongBox();
        var other = new Thread(() =>
        {
            // Gradients of ~40 ms each on two threads (a deliberately slow loss on a small problem: long jobs without
            // the large arrays, and so the garbage collections, of a long product), each followed by a short pause.
            var (problem, w) = LinearData.Problem<double>(1024, 32, 1, seed: 500);
            var workspace = new LinearWorkspace<double>(problem, threads: 2);
            while (!Volatile.Read(ref stop.Value))
            {
                Model.Gradient(problem, w, workspace, default(SlowSquaredLoss));
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

    /// <summary>ℓ(r) = r²/2 after a busy wait of about 80 µs: a pure but slow loss.</summary>
    private readonly struct SlowSquaredLoss : ILossOperator<double>
    {
        private static readonly long WaitTicks = Stopwatch.Frequency * 80 / 1_000_000;

        public double Value(double r)
        {
            long end = Stopwatch.GetTimestamp() + WaitTicks;
            while (Stopwatch.GetTimestamp() < end)
            {
                Thread.SpinWait(10);
            }

            return 0.5 * r * r;
        }

        public double Derivative(double r) => r;
    }

    private sealed class StrongBox
    {
        public bool Value;
    }
}
