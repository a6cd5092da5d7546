"""Deterministic experiments that return arrays (no plotting); the figures draw their results.

Expensive functions are cached with ``functools.cache``: the build renders every figure twice
(light and dark scheme), and the second render reuses the first one's data.

Modules:
    adversarial: FGSM, PGD and random signs on a bar-image MLP; fragile saliency maps.
    choosing: tuned gradient descent, momentum and Adam on three small problems.
    choosing_architecture: MLP against CNN on translated patterns and against sum pooling on sets.
    flatness: the sharpness of SGD, GD and SAM solutions, and its change under rescaling.
    cliff: the exploding-gradient cliff of a one-unit RNN, with and without clipping.
    attention: positional encodings, the softmax's scale and a one- versus two-head task.
    gtrxl: distance of a gated Transformer block from the identity at initialisation.
    loss_landscapes: non-convexity near a minimum of a small network, and PL* along the path.
    linear_attention: FLOPs and memory of softmax attention, linear attention and RWKV.
    rims: which RIMs modules win the competition, step by step.
    transformers_as_gnns: permutation equivariance and attention as message passing.
    gradient_descent: gradient descent on quadratics, its closed form and the stability limit.
    implicit_regularization: GD and SGD against the flows of their modified losses.
    regularisation: early stopping, an L2 penalty and dropout on an over-fitted regression.
    troubleshooting: six training failures on tiny networks, with their diagnostics and fixes.
    echo_state: memory and forgetting of echo-state reservoirs against the spectral radius.
    gated_memory: the adding problem for the RNN, LSTM and GRU, and the trained LSTM's gates.
    gating: the refine gate near saturation, and delayed recall with LSTM, UGI and UR-LSTM.
    recurrent_depth: input sensitivity of shallow, stacked and deep-transition RNNs.
    recurrent_gradients: Jacobian norms through time, truncated BPTT, BPTT and RTRL costs.
    seq2seq_reversal: a GRU encoder–decoder with attention learns to reverse sequences.
    captioning: Show and Tell against Show, Attend and Tell on synthetic scenes.
    relational_memory: a relational memory core against an LSTM on a nearest-point task.
    ssm_lru: discretised SSM eigenvalues, LRU ring initialisation and the effect of gamma.
    hopfield: binary recall and continuous dynamics with symmetric and non-symmetric weights.
    continual: forgetting with and without EWC, tug-of-war, ray interference.
    declarative: robust pooling as a declarative node, its implicit gradient and influence.
    wheel_bandit: the wheel bandit's reward regions and the regret of never exploring.
    plasticity: fresh random labels round after round, plain and with each plasticity remedy.
    bioplausible: backprop, feedback alignment and difference target propagation compared.
    bilevel: few-shot sinusoid regression meta-learned with MAML and iMAML.
    least_control: least-control learning against gradient descent on a small network.
    eqprop: the bias of equilibrium propagation's gradient estimate against beta.
    equilibrium: fixed-point solvers, unrolled vs implicit memory, recurrent-backprop convergence.
    losses: MSE, MAE, cross-entropy and % correct as curves.
    minibatch: minibatch-gradient noise against batch size, and SGD with several batch sizes.
    momentum: heavy ball, Nesterov and the slides' EMA momentum on ill-conditioned quadratics.
    optimizer_cost: loss against counted flops for one optimizer per family; Path-SGD's invariance.
    optimizer_paths: every optimizer's trajectory on a quadratic, Rosenbrock and a saddle.
    regularization: L2 against decoupled weight decay in Adam, and Powerpropagation.
    schedules: learning-rate schedules, and early stopping on an over-parametrised fit.
    natural_gradient: natural gradient against gradient descent under reparametrisation, and
        the Fisher-based optimizers on a small classifier.
    second_order: gradient descent and the Newton family near a saddle point.
    sharpness: SAM against gradient descent, and the sharpness of rescaled minima.
    which_minimum: two fits with the same training loss and very different test losses.
    which_optimizer: every optimizer of refimpl.optim on three 2-D problems, tuned.
"""

from refimpl.experiments import (
    adversarial,
    attention,
    bilevel,
    bioplausible,
    captioning,
    choosing,
    choosing_architecture,
    cliff,
    continual,
    declarative,
    echo_state,
    eqprop,
    equilibrium,
    flatness,
    gated_memory,
    gating,
    gradient_descent,
    gtrxl,
    hopfield,
    implicit_regularization,
    least_control,
    linear_attention,
    loss_landscapes,
    losses,
    minibatch,
    momentum,
    natural_gradient,
    optimizer_cost,
    optimizer_paths,
    plasticity,
    recurrent_depth,
    recurrent_gradients,
    regularisation,
    regularization,
    relational_memory,
    rims,
    schedules,
    second_order,
    seq2seq_reversal,
    sharpness,
    ssm_lru,
    transformers_as_gnns,
    troubleshooting,
    wheel_bandit,
    which_minimum,
    which_optimizer,
)
from refimpl.experiments.adversarial import (
    AccuracyCurves,
    SaliencyFragility,
    accuracy_curves,
    bar_images,
    saliency_fragility,
)
from refimpl.experiments.attention import (
    HeadsRun,
    positional_similarity,
    softmax_entropy,
    two_offset_copy,
)
from refimpl.experiments.bilevel import (
    MetaRun,
    meta_learning_curves,
    sinusoid_features,
    sinusoid_task,
    unrolled_vs_implicit,
)
from refimpl.experiments.bioplausible import credit_assignment_comparison, teacher_task
from refimpl.experiments.captioning import caption_text, captioning_results, scene_batch
from refimpl.experiments.choosing_architecture import (
    ArchitectureCurves,
    image_comparison,
    pattern_images,
    set_comparison,
    set_task,
)
from refimpl.experiments.continual import forgetting_curves, make_task, ray_interference, tug_of_war
from refimpl.experiments.declarative import robust_pooling_demo
from refimpl.experiments.eqprop import ep_error_vs_beta
from refimpl.experiments.equilibrium import (
    MemoryCurve,
    demo_equilibrium_rnn,
    memory_vs_iterations,
    rbp_convergence,
    solver_convergence,
)
from refimpl.experiments.gradient_descent import (
    StabilitySweep,
    Trajectory,
    closed_form_trajectory,
    contraction_factor,
    gd_trajectory,
    optimal_rate,
    optimal_step_size,
    stability_sweep,
    step_size_trajectories,
)
from refimpl.experiments.gtrxl import identity_deviation
from refimpl.experiments.hopfield import BinaryRecall, binary_recall, continuous_dynamics
from refimpl.experiments.implicit_regularization import (
    LeastSquaresSGD,
    ValleyRun,
    gd_iterates,
    least_squares_sgd,
    modified_gradient,
    quadratic_1d_check,
    rk4_flow,
    valley_error_scaling,
    valley_grad,
    valley_modified_grad,
    valley_runs,
)
from refimpl.experiments.least_control import free_loss, lcp_problem, lcp_training
from refimpl.experiments.linear_attention import attention_costs, counted_flops
from refimpl.experiments.natural_gradient import (
    LossCurve,
    ReparamPath,
    classifier_curves,
    reparametrisation_paths,
)
from refimpl.experiments.plasticity import PlasticityRun, random_label_rounds
from refimpl.experiments.relational_memory import nearest_point_batch, rmc_vs_lstm
from refimpl.experiments.rims import rims_activity
from refimpl.experiments.second_order import SaddleRun, saddle_function, saddle_runs
from refimpl.experiments.sharpness import SharpnessRun, rescaled_sharpness, sam_vs_gd
from refimpl.experiments.transformers_as_gnns import (
    equivariance_errors,
    graph_attention_weights,
    graph_edges,
)
from refimpl.experiments.wheel_bandit import safe_regret_curve, wheel_regions

__all__ = [
    "AccuracyCurves",
    "ArchitectureCurves",
    "BinaryRecall",
    "HeadsRun",
    "LeastSquaresSGD",
    "LossCurve",
    "MemoryCurve",
    "MetaRun",
    "PlasticityRun",
    "ReparamPath",
    "SaddleRun",
    "SaliencyFragility",
    "SharpnessRun",
    "StabilitySweep",
    "Trajectory",
    "ValleyRun",
    "accuracy_curves",
    "adversarial",
    "attention",
    "attention_costs",
    "bar_images",
    "bilevel",
    "binary_recall",
    "bioplausible",
    "caption_text",
    "captioning",
    "captioning_results",
    "choosing",
    "choosing_architecture",
    "classifier_curves",
    "cliff",
    "closed_form_trajectory",
    "continual",
    "continuous_dynamics",
    "contraction_factor",
    "counted_flops",
    "credit_assignment_comparison",
    "declarative",
    "demo_equilibrium_rnn",
    "echo_state",
    "ep_error_vs_beta",
    "eqprop",
    "equilibrium",
    "equivariance_errors",
    "flatness",
    "forgetting_curves",
    "free_loss",
    "gated_memory",
    "gating",
    "gd_iterates",
    "gd_trajectory",
    "gradient_descent",
    "graph_attention_weights",
    "graph_edges",
    "gtrxl",
    "hopfield",
    "identity_deviation",
    "image_comparison",
    "implicit_regularization",
    "lcp_problem",
    "lcp_training",
    "least_control",
    "least_squares_sgd",
    "linear_attention",
    "loss_landscapes",
    "losses",
    "make_task",
    "memory_vs_iterations",
    "meta_learning_curves",
    "minibatch",
    "modified_gradient",
    "momentum",
    "natural_gradient",
    "nearest_point_batch",
    "optimal_rate",
    "optimal_step_size",
    "optimizer_cost",
    "optimizer_paths",
    "pattern_images",
    "plasticity",
    "positional_similarity",
    "quadratic_1d_check",
    "random_label_rounds",
    "ray_interference",
    "rbp_convergence",
    "recurrent_depth",
    "recurrent_gradients",
    "regularisation",
    "regularization",
    "relational_memory",
    "reparametrisation_paths",
    "rescaled_sharpness",
    "rims",
    "rims_activity",
    "rk4_flow",
    "rmc_vs_lstm",
    "robust_pooling_demo",
    "saddle_function",
    "saddle_runs",
    "safe_regret_curve",
    "saliency_fragility",
    "sam_vs_gd",
    "scene_batch",
    "schedules",
    "second_order",
    "seq2seq_reversal",
    "set_comparison",
    "set_task",
    "sharpness",
    "sinusoid_features",
    "sinusoid_task",
    "softmax_entropy",
    "solver_convergence",
    "ssm_lru",
    "stability_sweep",
    "step_size_trajectories",
    "teacher_task",
    "transformers_as_gnns",
    "troubleshooting",
    "tug_of_war",
    "two_offset_copy",
    "unrolled_vs_implicit",
    "valley_error_scaling",
    "valley_grad",
    "valley_modified_grad",
    "valley_runs",
    "wheel_bandit",
    "wheel_regions",
    "which_minimum",
    "which_optimizer",
]
