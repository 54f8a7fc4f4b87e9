using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DslOptim.Optimizers;
using DslOptim.Tests.ReferenceData;
using Xunit;
using Xunit.Abstractions;
using Sched = DslOptim.Schedules;

namespace DslOptim.Tests.Zoo;

/// <summary>
/// The ready optimizers of <c>DslOptim.Optimizers</c> against torch.optim: every configuration of
/// <c>reference/optimizers.csv</c> is rebuilt from problem.json (same least-squares problem, same gradient arithmetic),
/// run for 200 steps with the configuration's hyperparameters, and compared at every recorded step.
/// </summary>
/// <remarks>
/// <para>
/// <b>Alignment.</b> optimizers.csv's step k is w after k optimizer steps (k = 0 is w0). Here step t = 1, 2, … takes
/// g = ∇L(w_{t−1}), calls <c>Step(w, g, state, t)</c>, and compares w with row k = t.
/// </para>
/// <para>
/// <b>The rules.</b> Double runs, element by element: |a − b| ≤ 10⁻¹⁰·max(|b|, 10⁻³), with b torch's value (the
/// rule of the script's own self-check). Float runs keep w and the states in float; their gradient is computed in
/// double from the float weights and rounded to float; element by element |a − b| ≤ 10⁻⁵·max(|b|, ‖b‖∞), ‖b‖∞ the
/// largest |torch weight| of that step (0.49 … 1.8 here). The float rule is normwise below ‖b‖∞ because float's own
/// rounding of the larger weights (half an ulp of 0.5 is 3·10⁻⁸) reaches every coordinate through the gradient: a
/// weight passing near 0 (|b| ≈ 10⁻³) carries an absolute error of ~10⁻⁸…10⁻⁷ in any float implementation. A plain
/// scalar float32 replay of torch's formulas (every operation rounded to float) misses 10⁻⁵·max(|b|, 10⁻³) at the same
/// steps and indices as DslOptim — e.g. sgd_nesterov_wd step 15 index 7 (2.0·10⁻⁵), rmsprop_momentum step 12 index 8
/// (4.1·10⁻⁵), adam_cosine_warmup step 120 index 7 (1.5·10⁻⁴) — and meets the normwise rule by 10⁻⁶ or better. Both
/// measures are printed. The tolerances are never loosened per configuration: a configuration that cannot meet them
/// fails with the first step and index that differ.
/// </para>
/// </remarks>
public sealed class TorchParityTests
{
    private const double DoubleTolerance = 1e-10;
    private const double FloatTolerance = 1e-5;
    private const double Floor = 1e-3;

    private readonly ITestOutputHelper _output;

    public TorchParityTests(ITestOutputHelper output) => _output = output;

    private delegate void StepFunction<T>(Span<T> w, ReadOnlySpan<T> g, long t);

    /// <summary>One optimizer, stepping in double and in float (each with its own state).</summary>
    private sealed record Twin(string Declaration, StepFunction<double> Double, StepFunction<float> Single);

    /// <summary>Every configuration of optimizers.csv, by name.</summary>
    public static TheoryData<string> Configurations
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in TorchReference.Load().Optimizers.Keys.Order(StringComparer.Ordinal))
            {
                data.Add(name);
            }
            return data;
        }
    }

    [Fact]
    public void Every_configuration_of_the_reference_has_a_twin()
    {
        var reference = TorchReference.Load();
        Assert.NotEmpty(reference.Optimizers);
        foreach (var run in reference.Optimizers.Values)
        {
            Assert.NotNull(TwinOf(run, reference.Problem.D));
        }
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Double_trajectory_matches_torch(string configuration)
    {
        var reference = TorchReference.Load();
        var run = reference.Optimizers[configuration];
        var problem = reference.Problem;
        var twin = TwinOf(run, problem.D);

        var w = (double[])problem.W0.Clone();
        var g = new double[problem.D];
        var comparison = new Comparison(run, "double", DoubleTolerance, normwise: false);
        comparison.Check(0, w);
        for (var t = 1; t <= reference.RecordedSteps[^1]; t++)
        {
            problem.Gradient(w, g);
            twin.Double(w, g, t);
            if (reference.RecordedSteps.Contains(t))
            {
                comparison.Check(t, w);
            }
        }
        _output.WriteLine(comparison.Summary(twin.Declaration));
        comparison.Assert();
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Float_trajectory_matches_torch(string configuration)
    {
        var reference = TorchReference.Load();
        var run = reference.Optimizers[configuration];
        var problem = reference.Problem;
        var twin = TwinOf(run, problem.D);

        var w = problem.W0.Select(x => (float)x).ToArray();
        var wDouble = new double[problem.D];
        var gDouble = new double[problem.D];
        var g = new float[problem.D];
        var comparison = new Comparison(run, "float", FloatTolerance, normwise: true);
        comparison.Check(0, w.Select(x => (double)x).ToArray());
        for (var t = 1; t <= reference.RecordedSteps[^1]; t++)
        {
            for (var j = 0; j < w.Length; j++)
            {
                wDouble[j] = w[j];
            }
            problem.Gradient(wDouble, gDouble);
            for (var j = 0; j < g.Length; j++)
            {
                g[j] = (float)gDouble[j];
            }
            twin.Single(w, g, t);
            if (reference.RecordedSteps.Contains(t))
            {
                comparison.Check(t, w.Select(x => (double)x).ToArray());
            }
        }
        _output.WriteLine(comparison.Summary(twin.Declaration));
        comparison.Assert();
    }

    /// <summary>
    /// The DslOptim declaration torch's configuration corresponds to, with its hyperparameters set from problem.json's
    /// "resolved" values. A hyperparameter the declaration does not have must sit at the value that makes torch's
    /// variant this declaration; otherwise the configuration has no twin and the test says which setting is missing.
    /// </summary>
    private static Twin TwinOf(OptimizerRun run, int length)
    {
        var schedule = ScheduleOf(run);
        switch (run.TorchClass)
        {
            case "torch.optim.SGD":
            {
                Require(run, "dampening", 0.0);
                RequireFlag(run, "maximize", false);
                var lr = run.Number("lr");
                var momentum = run.Number("momentum");
                var decay = run.Number("weight_decay");
                if (momentum == 0.0)
                {
                    RequireFlag(run, "nesterov", false);
                    var sgd = new Sgd { Lr = lr, WeightDecay = decay, Schedule = schedule };
                    return new Twin(nameof(Sgd), (w, g, t) => sgd.Step(w, g, t), (w, g, t) => sgd.Step(w, g, t));
                }
                if (run.Flag("nesterov"))
                {
                    var nesterov = new SgdNesterov { Lr = lr, Momentum = momentum, WeightDecay = decay, Schedule = schedule };
                    var nd = nesterov.CreateState<double>(length);
                    var nf = nesterov.CreateState<float>(length);
                    return new Twin(nameof(SgdNesterov), (w, g, t) => nesterov.Step(w, g, nd, t), (w, g, t) => nesterov.Step(w, g, nf, t));
                }
                var heavy = new SgdMomentum { Lr = lr, Momentum = momentum, WeightDecay = decay, Schedule = schedule };
                var hd = heavy.CreateState<double>(length);
                var hf = heavy.CreateState<float>(length);
                return new Twin(nameof(SgdMomentum), (w, g, t) => heavy.Step(w, g, hd, t), (w, g, t) => heavy.Step(w, g, hf, t));
            }
            case "torch.optim.Adagrad":
            {
                Require(run, "initial_accumulator_value", 0.0);
                Require(run, "weight_decay", 0.0);
                RequireFlag(run, "maximize", false);
                var adaGrad = new AdaGrad { Lr = run.Number("lr"), LrDecay = run.Number("lr_decay"), Eps = run.Number("eps"), Schedule = schedule };
                var sd = adaGrad.CreateState<double>(length);
                var sf = adaGrad.CreateState<float>(length);
                return new Twin(nameof(AdaGrad), (w, g, t) => adaGrad.Step(w, g, sd, t), (w, g, t) => adaGrad.Step(w, g, sf, t));
            }
            case "torch.optim.RMSprop":
            {
                Require(run, "weight_decay", 0.0);
                RequireFlag(run, "maximize", false);
                var (lr, alpha, eps, momentum) = (run.Number("lr"), run.Number("alpha"), run.Number("eps"), run.Number("momentum"));
                if (run.Flag("centered"))
                {
                    Require(run, "momentum", 0.0);
                    var centered = new RmsPropCentered { Lr = lr, Alpha = alpha, Eps = eps, Schedule = schedule };
                    var cd = centered.CreateState<double>(length);
                    var cf = centered.CreateState<float>(length);
                    return new Twin(nameof(RmsPropCentered), (w, g, t) => centered.Step(w, g, cd, t), (w, g, t) => centered.Step(w, g, cf, t));
                }
                if (momentum > 0.0)
                {
                    var withMomentum = new RmsPropMomentum { Lr = lr, Alpha = alpha, Eps = eps, Momentum = momentum, Schedule = schedule };
                    var md = withMomentum.CreateState<double>(length);
                    var mf = withMomentum.CreateState<float>(length);
                    return new Twin(nameof(RmsPropMomentum), (w, g, t) => withMomentum.Step(w, g, md, t), (w, g, t) => withMomentum.Step(w, g, mf, t));
                }
                var plain = new RmsProp { Lr = lr, Alpha = alpha, Eps = eps, Schedule = schedule };
                var pd = plain.CreateState<double>(length);
                var pf = plain.CreateState<float>(length);
                return new Twin(nameof(RmsProp), (w, g, t) => plain.Step(w, g, pd, t), (w, g, t) => plain.Step(w, g, pf, t));
            }
            case "torch.optim.Adam":
            {
                Require(run, "weight_decay", 0.0);
                RequireFlag(run, "maximize", false);
                var (lr, (beta1, beta2), eps) = (run.Number("lr"), run.Betas, run.Number("eps"));
                if (run.Flag("amsgrad"))
                {
                    var amsGrad = new AmsGrad { Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, Schedule = schedule };
                    var ad = amsGrad.CreateState<double>(length);
                    var af = amsGrad.CreateState<float>(length);
                    return new Twin(nameof(AmsGrad), (w, g, t) => amsGrad.Step(w, g, ad, t), (w, g, t) => amsGrad.Step(w, g, af, t));
                }
                var adam = new Adam { Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, Schedule = schedule };
                var sd = adam.CreateState<double>(length);
                var sf = adam.CreateState<float>(length);
                return new Twin(nameof(Adam), (w, g, t) => adam.Step(w, g, sd, t), (w, g, t) => adam.Step(w, g, sf, t));
            }
            case "torch.optim.AdamW":
            {
                RequireFlag(run, "amsgrad", false);
                RequireFlag(run, "maximize", false);
                var (beta1, beta2) = run.Betas;
                var adamW = new AdamW { Lr = run.Number("lr"), Beta1 = beta1, Beta2 = beta2, Eps = run.Number("eps"), WeightDecay = run.Number("weight_decay"), Schedule = schedule };
                var sd = adamW.CreateState<double>(length);
                var sf = adamW.CreateState<float>(length);
                return new Twin(nameof(AdamW), (w, g, t) => adamW.Step(w, g, sd, t), (w, g, t) => adamW.Step(w, g, sf, t));
            }
            case "torch.optim.NAdam":
            {
                Require(run, "weight_decay", 0.0);
                var (beta1, beta2) = run.Betas;
                var nAdam = new NAdam { Lr = run.Number("lr"), Beta1 = beta1, Beta2 = beta2, Eps = run.Number("eps"), MomentumDecay = run.Number("momentum_decay"), Schedule = schedule };
                var sd = nAdam.CreateState<double>(length);
                var sf = nAdam.CreateState<float>(length);
                return new Twin(nameof(NAdam), (w, g, t) => nAdam.Step(w, g, sd, t), (w, g, t) => nAdam.Step(w, g, sf, t));
            }
            default:
                throw new NotSupportedException($"{run.Name}: no DslOptim declaration is the twin of {run.TorchClass}.");
        }
    }

    /// <summary>torch's lr_scheduler of the configuration as a DslOptim schedule (reference/README.md), or null for a constant lr.</summary>
    private static LearningRateSchedule? ScheduleOf(OptimizerRun run)
    {
        const string CosineWarmup = "SequentialLR(LinearLR(start_factor=0.1, total_iters=20), CosineAnnealingLR(T_max=180, eta_min=1e-4), milestones=[20])";
        return run.Scheduler switch
        {
            null => null,
            CosineWarmup => Sched.Cosine(run.Number("lr"), 200, 1e-4, warmupSteps: 20, warmupStartFactor: 0.1),
            _ => throw new NotSupportedException($"{run.Name}: the scheduler {run.Scheduler} has no DslOptim twin in this test."),
        };
    }

    private static void Require(OptimizerRun run, string name, double value)
    {
        if (!run.Hyperparameters.ContainsKey(name) || run.Number(name) != value)
        {
            throw new NotSupportedException($"{run.Name}: {name} = {(run.Hyperparameters.TryGetValue(name, out var v) ? v.ToString() : "missing")}; the DslOptim twin supports only {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    private static void RequireFlag(OptimizerRun run, string name, bool value)
    {
        if (run.Hyperparameters.ContainsKey(name) && run.Flag(name) != value)
        {
            throw new NotSupportedException($"{run.Name}: {name} = {run.Flag(name)}; the DslOptim twin supports only {value}.");
        }
    }

    /// <summary>
    /// Compares recorded steps with |a − b| ≤ tol·max(|b|, floor), floor = 10⁻³ or, normwise, max(10⁻³, ‖b‖∞) of the
    /// step; keeps the worst error under both floors and the first failure.
    /// </summary>
    private sealed class Comparison
    {
        private readonly OptimizerRun _run;
        private readonly string _precision;
        private readonly double _tolerance;
        private readonly bool _normwise;
        private double _worst;
        private string _worstWhere = "-";
        private double _worstElementwise;
        private string _worstElementwiseWhere = "-";
        private string? _firstFailure;
        private int _failures;

        public Comparison(OptimizerRun run, string precision, double tolerance, bool normwise)
        {
            _run = run;
            _precision = precision;
            _tolerance = tolerance;
            _normwise = normwise;
        }

        public void Check(int step, double[] w)
        {
            var expected = _run.Weights(step);
            var norm = 0.0;
            foreach (var b in expected)
            {
                norm = Math.Max(norm, Math.Abs(b));
            }
            var floor = _normwise ? Math.Max(Floor, norm) : Floor;
            for (var j = 0; j < w.Length; j++)
            {
                var difference = Math.Abs(w[j] - expected[j]);
                var error = Relative(difference, Math.Max(Math.Abs(expected[j]), floor));
                var elementwise = Relative(difference, Math.Max(Math.Abs(expected[j]), Floor));
                if (error > _worst)
                {
                    _worst = error;
                    _worstWhere = string.Create(CultureInfo.InvariantCulture, $"step {step}, index {j}");
                }
                if (elementwise > _worstElementwise)
                {
                    _worstElementwise = elementwise;
                    _worstElementwiseWhere = string.Create(CultureInfo.InvariantCulture, $"step {step}, index {j}");
                }
                if (!(error <= _tolerance))
                {
                    _failures++;
                    _firstFailure ??= string.Create(CultureInfo.InvariantCulture,
                        $"step {step}, index {j}: DslOptim {w[j]:R}, torch {expected[j]:R}, |diff| = {difference:E3}, relative {error:E3} > {_tolerance:E0}");
                }
            }
        }

        private static double Relative(double difference, double scale)
            => double.IsNaN(difference) ? double.PositiveInfinity : difference / scale;

        private string Rule => _normwise ? "max(|torch|, ‖torch‖∞)" : "max(|torch|, 1e-3)";

        public string Summary(string declaration) => string.Create(CultureInfo.InvariantCulture,
            $"{_run.Name} ({_run.TorchClass} → {declaration}), {_precision}: max |diff|/{Rule} = {_worst:E2} at {_worstWhere} (tolerance {_tolerance:E0})")
            + (_normwise
                ? string.Create(CultureInfo.InvariantCulture, $"; elementwise max |diff|/max(|torch|, 1e-3) = {_worstElementwise:E2} at {_worstElementwiseWhere}")
                : "");

        public void Assert()
        {
            if (_firstFailure is not null)
            {
                Xunit.Assert.Fail($"{_run.Name}, {_precision}: {_failures} recorded values differ from torch beyond {_tolerance:E0}·{Rule}; first at {_firstFailure}.");
            }
        }
    }
}
