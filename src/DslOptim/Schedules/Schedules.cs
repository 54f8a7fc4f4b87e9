using System;

namespace DslOptim;

/// <summary>
/// Factories for the common learning-rate schedules and their compositions. Every schedule is defined in closed
/// form on the optimizer step t = 1, 2, …; where torch.optim.lr_scheduler has the same schedule, <c>At(t)</c> equals
/// torch's learning rate at <c>last_epoch = t − 1</c> (see <see cref="LearningRateSchedule"/>), to rounding: torch
/// computes most of them by a recurrence, these from the closed form, and the two agree to about 1e-14 relative over
/// 1,000 steps (reference/schedules.csv and the tests that read it).
/// </summary>
/// <remarks>
/// Below s = t − 1 is torch's <c>last_epoch</c>. Arguments are validated when the schedule is created; a learning rate
/// must be finite and non-negative, step counts must be positive, factors must lie in [0, 1].
/// </remarks>
public static class Schedules
{
    /// <summary>η_t = <paramref name="lr"/> for every t (torch: no scheduler, or <c>LambdaLR(lambda s: 1)</c>).</summary>
    /// <param name="lr">The step size, finite and non-negative.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lr"/> is negative, NaN or infinite.</exception>
    public static LearningRateSchedule Constant(double lr)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        return new ConstantSchedule(lr);
    }

    /// <summary>
    /// Step decay, torch's <c>StepLR(step_size, gamma)</c>: η_t = lr·γ^⌊(t − 1)/stepSize⌋, so the first decay applies at
    /// t = stepSize + 1.
    /// </summary>
    /// <param name="lr">The initial step size, finite and non-negative.</param>
    /// <param name="stepSize">Steps between decays, at least 1.</param>
    /// <param name="gamma">The factor applied at each decay, finite and positive (above 1 grows).</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule Step(double lr, long stepSize, double gamma)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(stepSize, 1, nameof(stepSize), "The number of steps between decays");
        ScheduleGuard.Positive(gamma, nameof(gamma), "decay factor");
        return new StepSchedule(lr, stepSize, gamma);
    }

    /// <summary>Exponential decay, torch's <c>ExponentialLR(gamma)</c>: η_t = lr·γ^(t − 1).</summary>
    /// <param name="lr">The initial step size, finite and non-negative.</param>
    /// <param name="gamma">The factor per step, finite and positive (above 1 grows, as in a learning-rate range test).</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule Exponential(double lr, double gamma)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.Positive(gamma, nameof(gamma), "decay factor");
        return new ExponentialSchedule(lr, gamma);
    }

    /// <summary>
    /// Linear warmup, torch's <c>LinearLR(start_factor, end_factor = 1, total_iters = warmupSteps)</c>:
    /// η_t = lr·(f₀ + (1 − f₀)·min(warmupSteps, t − 1)/warmupSteps). It starts at lr·f₀ at t = 1, reaches lr at
    /// t = warmupSteps + 1 and stays there.
    /// </summary>
    /// <param name="lr">The step size after the warmup, finite and non-negative.</param>
    /// <param name="warmupSteps">Steps of the ramp (torch's <c>total_iters</c>), at least 1.</param>
    /// <param name="startFactor">
    /// f₀ in [0, 1]. When omitted, 1/(warmupSteps + 1), which makes η_t = lr·t/(warmupSteps + 1): an exactly linear
    /// ramp with no step wasted at 0. (torch 1.13 accepts 0 but then divides by zero in its recurrence; torch 2
    /// requires f₀ &gt; 0.)
    /// </param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule LinearWarmup(double lr, long warmupSteps, double? startFactor = null)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(warmupSteps, 1, nameof(warmupSteps), "The number of warmup steps");
        double f0 = startFactor ?? 1.0 / (warmupSteps + 1.0);
        ScheduleGuard.Factor(f0, nameof(startFactor), "warmup start factor");
        return new LinearWarmupSchedule(lr, warmupSteps, f0);
    }

    /// <summary>
    /// Cosine decay from lr to a floor, with an optional linear warmup first.
    /// <list type="bullet">
    /// <item>Without warmup, torch's <c>CosineAnnealingLR(T_max = totalSteps, eta_min = floor)</c>:
    /// η_t = floor + (lr − floor)·(1 + cos(π·(t − 1)/totalSteps))/2, which reaches the floor at t = totalSteps + 1.
    /// From there on η_t = floor, whereas torch's CosineAnnealingLR would rise again (it is periodic with period
    /// 2·T_max); a training run that stops at totalSteps never sees the difference.</item>
    /// <item>With W = <paramref name="warmupSteps"/> &gt; 0, torch's
    /// <c>SequentialLR([LinearLR(start_factor = f₀, total_iters = W), CosineAnnealingLR(T_max = totalSteps − W, eta_min = floor)], milestones = [W])</c>,
    /// which is <c>LinearWarmup(lr, W, f₀).Then(Cosine(lr, totalSteps − W, floor), W)</c>: the warmup's
    /// η_t = lr·(f₀ + (1 − f₀)(t − 1)/W) for t ≤ W, then the cosine restarted at its own step 1, η_{W+1} = lr, reaching
    /// the floor at t = totalSteps + 1. At the milestone torch's SequentialLR does not let LinearLR take its last
    /// step (which would give lr) but calls <c>CosineAnnealingLR.step(0)</c>, whose closed form gives lr as well, so
    /// lr is used exactly once, at t = W + 1, and the curve has no plateau.</item>
    /// </list>
    /// </summary>
    /// <param name="lr">The peak step size, finite and non-negative.</param>
    /// <param name="totalSteps">Steps from t = 1 until the floor is reached (warmup included), at least 1 and more than <paramref name="warmupSteps"/>.</param>
    /// <param name="floor">The final step size (torch's <c>eta_min</c>), in [0, lr].</param>
    /// <param name="warmupSteps">Steps of linear warmup, 0 for none.</param>
    /// <param name="warmupStartFactor">f₀ of the warmup, in [0, 1]; when omitted 1/(warmupSteps + 1), see <see cref="LinearWarmup"/>.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule Cosine(double lr, long totalSteps, double floor = 0.0, long warmupSteps = 0, double? warmupStartFactor = null)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(totalSteps, 1, nameof(totalSteps), "The number of total steps");
        ScheduleGuard.Floor(floor, lr, nameof(floor));
        ScheduleGuard.AtLeast(warmupSteps, 0, nameof(warmupSteps), "The number of warmup steps");
        if (warmupStartFactor is double f0)
        {
            ScheduleGuard.Factor(f0, nameof(warmupStartFactor), "warmup start factor");
        }
        if (warmupSteps >= totalSteps)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps,
                $"The warmup ({warmupSteps} steps) must be shorter than totalSteps = {totalSteps}, which counts the warmup too.");
        }
        var cosine = new CosineSchedule(lr, totalSteps - warmupSteps, floor);
        if (warmupSteps == 0)
        {
            if (warmupStartFactor is not null)
            {
                throw new ArgumentOutOfRangeException(nameof(warmupStartFactor), warmupStartFactor,
                    "A warmup start factor was given but warmupSteps is 0; give warmupSteps > 0 or drop the factor.");
            }
            return cosine;
        }
        return LinearWarmup(lr, warmupSteps, warmupStartFactor).Then(cosine, warmupSteps);
    }

    /// <summary>
    /// Warmup–stable–decay (torch has none; this is DslOptim's definition). Each phase lasts exactly its number of
    /// steps and ends on its target value:
    /// <list type="bullet">
    /// <item>warmup, 1 ≤ t ≤ W: η_t = lr·t/W (so η_W = lr);</item>
    /// <item>stable, W &lt; t ≤ W + S: η_t = lr;</item>
    /// <item>decay, with u = t − W − S in 1 … D: η_t = floor + (lr − floor)·(D − u)/D, linear, so η_{W+S+D} = floor;</item>
    /// <item>after, t &gt; W + S + D: η_t = floor.</item>
    /// </list>
    /// A run of W + S + D steps thus warms up, holds, and takes its last step at the floor.
    /// </summary>
    /// <param name="lr">The plateau step size, finite and non-negative.</param>
    /// <param name="warmup">W, steps of warmup, 0 or more.</param>
    /// <param name="stable">S, steps at lr, 0 or more.</param>
    /// <param name="decay">D, steps of decay, at least 1.</param>
    /// <param name="floor">The final step size, in [0, lr].</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule WarmupStableDecay(double lr, long warmup, long stable, long decay, double floor = 0.0)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(warmup, 0, nameof(warmup), "The number of warmup steps");
        ScheduleGuard.AtLeast(stable, 0, nameof(stable), "The number of stable steps");
        ScheduleGuard.AtLeast(decay, 1, nameof(decay), "The number of decay steps");
        ScheduleGuard.Floor(floor, lr, nameof(floor));
        if (warmup > long.MaxValue - stable - decay)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "warmup + stable + decay overflows a long.");
        }
        return new WarmupStableDecaySchedule(lr, warmup, stable, decay, floor);
    }

    /// <summary>
    /// Inverse square root decay (torch has none; this is DslOptim's definition, the "rsqrt" schedule of T5):
    /// η_t = lr·min(1, √(W/t)) — lr for the first W steps, then lr·√(W/t), continuous at t = W. W = 1 gives lr/√t.
    /// For the Transformer's linear ramp instead of the constant start, multiply by a warmup:
    /// <c>Schedules.LinearWarmup(1, W).Times(Schedules.InverseSquareRoot(lr, W))</c>.
    /// </summary>
    /// <param name="lr">The step size of the first W steps, finite and non-negative.</param>
    /// <param name="warmupSteps">W, at least 1.</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule InverseSquareRoot(double lr, long warmupSteps)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(warmupSteps, 1, nameof(warmupSteps), "The number of warmup steps");
        return new InverseSquareRootSchedule(lr, warmupSteps);
    }

    /// <summary>
    /// Polynomial decay: η_t = floor + (lr − floor)·(1 − min(T, t − 1)/T)^p, reaching the floor at t = T + 1 and
    /// staying there. With floor = 0 this is torch's <c>PolynomialLR(total_iters = T, power = p)</c>.
    /// </summary>
    /// <param name="lr">The initial step size, finite and non-negative.</param>
    /// <param name="totalSteps">T, at least 1.</param>
    /// <param name="power">p, finite and positive (1 is linear decay).</param>
    /// <param name="floor">The final step size, in [0, lr] (torch: 0).</param>
    /// <returns>The schedule.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the range stated for it.</exception>
    public static LearningRateSchedule Polynomial(double lr, long totalSteps, double power = 1.0, double floor = 0.0)
    {
        ScheduleGuard.LearningRate(lr, nameof(lr));
        ScheduleGuard.AtLeast(totalSteps, 1, nameof(totalSteps), "The number of total steps");
        ScheduleGuard.Positive(power, nameof(power), "power");
        ScheduleGuard.Floor(floor, lr, nameof(floor));
        return new PolynomialSchedule(lr, totalSteps, power, floor);
    }

    /// <summary>
    /// <paramref name="first"/> for steps 1 … M, then <paramref name="second"/> restarted from its own step 1:
    /// η_t = first.At(t) for t ≤ M, second.At(t − M) for t &gt; M, with M = <paramref name="milestone"/>. This is
    /// torch's <c>SequentialLR([first, second], milestones = [M])</c> whenever the second scheduler has a closed form
    /// (all of torch's built-in ones used here do): at the milestone SequentialLR calls <c>second.step(0)</c>, which
    /// restarts it at its <c>last_epoch = 0</c> value — its step 1 — rather than letting <c>first</c> take step M + 1.
    /// Chain calls for more phases; milestones are then absolute, as in torch:
    /// <c>a.Then(b, 50).Then(c, 400)</c> is <c>SequentialLR([a, b, c], milestones = [50, 400])</c>.
    /// </summary>
    /// <param name="first">The schedule of the first <paramref name="milestone"/> steps.</param>
    /// <param name="second">The schedule after them.</param>
    /// <param name="milestone">M, at least 1.</param>
    /// <returns>The sequence.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="first"/> or <paramref name="second"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="milestone"/> is less than 1.</exception>
    public static LearningRateSchedule Then(LearningRateSchedule first, LearningRateSchedule second, long milestone)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ScheduleGuard.AtLeast(milestone, 1, nameof(milestone), "The milestone (the number of steps of the first schedule)");
        return new SequentialSchedule(first, second, milestone);
    }

    /// <summary>η′_t = <paramref name="factor"/>·η_t.</summary>
    /// <param name="schedule">The schedule to scale.</param>
    /// <param name="factor">A finite, non-negative factor.</param>
    /// <returns>The scaled schedule.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schedule"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative, NaN or infinite.</exception>
    public static LearningRateSchedule Scaled(LearningRateSchedule schedule, double factor)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ScheduleGuard.LearningRate(factor, nameof(factor), "scale factor");
        return new ScaledSchedule(schedule, factor);
    }

    /// <summary>
    /// The pointwise product η_t = a.At(t)·b.At(t). Build one factor as a multiplier with lr = 1:
    /// <c>Product(LinearWarmup(1, 100, 0.1), Exponential(lr, 0.997))</c> is torch's
    /// <c>ChainedScheduler([LinearLR(start_factor = 0.1, total_iters = 100), ExponentialLR(gamma = 0.997)])</c>
    /// (ChainedScheduler multiplies the factors of multiplicative schedulers).
    /// </summary>
    /// <param name="a">The first factor.</param>
    /// <param name="b">The second factor.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="a"/> or <paramref name="b"/> is null.</exception>
    public static LearningRateSchedule Product(LearningRateSchedule a, LearningRateSchedule b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new ProductSchedule(a, b);
    }
}
