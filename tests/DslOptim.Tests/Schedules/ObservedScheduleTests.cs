using System;
using System.Linq;
using Xunit;

namespace DslOptim.Tests.Schedules;

/// <summary>[Schedule] members that read the previous step's observed quantities (loss, ‖g‖, ‖w‖).</summary>
/// <remarks>In the workers collection: its parameter-set and full linear steps use the process-wide helpers.</remarks>
[Collection(DslOptim.Tests.LinearModel.WorkersCollection.Name)]
public sealed class ObservedScheduleTests
{
    [Fact]
    public void Polyak_full_linear_step_equals_a_scalar_loop()
    {
        const int n = 10, d = 30; // n < d: the model interpolates, so L* = 0 is the true minimum (Polyak's setting)
        var random = new Random(21);
        var x = Enumerable.Range(0, n * d).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var problem = new LinearProblem<double>(x, n, d, y, 1);
        var workspace = new LinearWorkspace<double>(problem, threads: 1);
        var opt = new PolyakGd { MinLoss = 0.0, Scale = 0.5 };
        var w = new double[d];
        var reference = new double[d];
        for (long t = 1; t <= 25; t++)
        {
            var result = opt.Step(problem, w, workspace, t);

            // The reference: L, G = (1/n) Xᵀ(XW − Y), η = c·(L − L*)/‖G‖², W ← W − ηG, written from the formulas.
            var r = new double[n];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double s = -y[i];
                for (int j = 0; j < d; j++)
                {
                    s += x[(i * d) + j] * reference[j];
                }

                r[i] = s;
                loss += 0.5 * s * s / n;
            }

            var g = new double[d];
            for (int j = 0; j < d; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    g[j] += x[(i * d) + j] * r[i] / n;
                }
            }

            double norm = Math.Sqrt(g.Sum(v => v * v));
            double eta = 0.5 * (loss - 0.0) / (norm * norm);
            for (int j = 0; j < d; j++)
            {
                reference[j] -= eta * g[j];
            }

            Assert.Equal(loss, result.Loss, loss * 1e-12);
            Assert.Equal(norm, result.GradientNorm, norm * 1e-12);
            for (int j = 0; j < d; j++)
            {
                Assert.Equal(reference[j], w[j], 1e-11);
            }
        }

        // Polyak's step converges here: the loss fell by orders of magnitude from L(0).
        Assert.True(opt.Step(problem, w, workspace, 26).Loss < 1e-3 * (0.5 * y.Sum(v => v * v) / n));
    }

    [Fact]
    public void Polyak_span_step_uses_the_observed_quantities_the_caller_passes()
    {
        var w = new[] { 1.0, -2.0, 0.5, 3.0, 0.25 };
        var g = new[] { 0.5, 0.25, -1.0, 2.0, -0.125 };
        var expected = (double[])w.Clone();
        var observed = new ObservedQuantities(Loss: 2.5, GradientNorm: 1.5, WeightNorm: double.NaN);
        new PolyakGd { MinLoss = 0.5 }.Step(w, g, in observed, 1);

        double eta = (2.5 - 0.5) / (1.5 * 1.5);
        for (int i = 0; i < w.Length; i++)
        {
            Assert.Equal(expected[i] - (eta * g[i]), w[i], 1e-15);
        }
    }

    [Fact]
    public void Observing_schedules_get_only_step_overloads_that_take_the_observations()
    {
        foreach (var type in new[] { typeof(PolyakGd), typeof(ObservedHeavyBall) })
        {
            var steps = type.GetMethods().Where(m => m.Name == "Step").ToList();
            Assert.NotEmpty(steps);
            foreach (var step in steps)
            {
                var parameters = step.GetParameters();
                bool linear = parameters[0].ParameterType.Name.StartsWith("LinearProblem", StringComparison.Ordinal);
                // The two-layer step with a step-size rule does not call the schedule: the rule chooses η_t.
                bool ruled = parameters.Any(p => p.ParameterType == typeof(TwoLayerStepSize));
                bool observes = parameters.Any(p => p.ParameterType.GetElementType() == typeof(ObservedQuantities) || p.ParameterType == typeof(ObservedQuantities));
                Assert.True((linear || ruled) ^ observes, $"{type.Name}.{step}: the full linear step observes by itself and a two-layer step with a rule needs no schedule; every other Step takes ObservedQuantities");
            }
        }

        // Schedules of t alone keep their overloads without observations.
        Assert.DoesNotContain(typeof(Optimizers.Adam).GetMethods().Where(m => m.Name == "Step").SelectMany(m => m.GetParameters()),
            p => p.ParameterType.GetElementType() == typeof(ObservedQuantities));
    }

    [Fact]
    public void Stateful_schedule_reading_the_whole_observation_equals_a_scalar_loop_on_spans_and_sets()
    {
        var opt = new ObservedHeavyBall { Lr = 0.2, Momentum = 0.8 };
        var w = new[] { 1.0, -0.5, 2.0 };
        var g = new double[3];
        var state = opt.CreateState<double>(3);
        var setW = (double[])w.Clone();
        var setG = new double[3];
        var set = new ParameterSet<double>();
        set.Add(setW, setG);
        var setState = opt.CreateState(set);
        var rw = (double[])w.Clone();
        var rb = new double[3];
        for (long t = 1; t <= 10; t++)
        {
            for (int i = 0; i < 3; i++)
            {
                g[i] = setG[i] = Math.Cos(t + i);
            }

            var observed = new ObservedQuantities(double.NaN, double.NaN, Math.Sqrt(w.Sum(v => v * v)));
            opt.Step(w, g, state, in observed, t);
            var setObserved = new ObservedQuantities(double.NaN, double.NaN, set.WeightNorm());
            opt.Step(set, setState, in setObserved, t);

            double eta = 0.2 / (1 + Math.Sqrt(rw.Sum(v => v * v))) / Math.Sqrt(t);
            for (int i = 0; i < 3; i++)
            {
                rb[i] = (0.8 * rb[i]) + g[i];
                rw[i] -= eta * rb[i];
            }
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(rw[i], w[i], 1e-14);
            Assert.Equal(w[i], setW[i]);
        }
    }
}
