"""Pure update rules and helpers: plain functions on lists of tensors that the classes call.

Each function holds the math of one algorithm, with the equation above the line computing it;
the ``torch.optim.Optimizer`` and ``torch.nn.Module`` classes in ``refimpl.optim`` and
``refimpl.nn`` are thin shells that keep state and call these.
"""

from refimpl.functional.activations import (
    gelu,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    tanh,
    tanh_derivative,
)
from refimpl.functional.adadelta import adadelta_step, adadelta_update
from refimpl.functional.adagrad import adagrad_step, adagrad_update
from refimpl.functional.adam import adam_step, adam_update
from refimpl.functional.adversarial import (
    fgsm,
    input_gradient,
    pgd_linf,
    random_sign_perturbation,
)
from refimpl.functional.affine import linear
from refimpl.functional.attention import (
    as_additive_mask,
    causal_mask,
    edge_softmax_attention,
    scaled_dot_product_attention,
    sinusoidal_positional_encoding,
)
from refimpl.functional.backprop import ForwardCache, mlp_backward, mlp_forward
from refimpl.functional.bptt import elman_bptt, elman_states
from refimpl.functional.clipping import clip_by_norm, clip_grad_norm_, total_norm
from refimpl.functional.conv import avg_pool2d, conv2d, im2col, max_pool2d, pad2d
from refimpl.functional.ema_momentum import ema_momentum_step, ema_momentum_update
from refimpl.functional.esn import esn_states, ridge_readout
from refimpl.functional.gating import (
    chrono_forget_bias,
    refine_gate,
    ugi_forget_bias,
    ur_lstm_cell,
)
from refimpl.functional.init import (
    calculate_gain,
    fan_in_and_fan_out,
    kaiming_normal_,
    kaiming_uniform_,
    orthogonal_,
    xavier_normal_,
    xavier_uniform_,
)
from refimpl.functional.kfac import kfac_direction, kronecker_factors
from refimpl.functional.linear_attention import (
    elu_feature_map,
    linear_attention_chunked,
    linear_attention_parallel,
    linear_attention_recurrent,
)
from refimpl.functional.losses import accuracy, cross_entropy, huber_loss, l1_loss, mse_loss
from refimpl.functional.lru import (
    associative_scan,
    chunked_scan,
    lru_gamma,
    lru_lambda,
    sequential_scan,
)
from refimpl.functional.multiplicative import implicit_affine, multiplicative_interaction
from refimpl.functional.natural_gradient import (
    categorical_output_fisher,
    empirical_fisher,
    fisher_from_jacobians,
    gaussian_output_fisher,
    natural_gradient_direction,
    per_example_jacobians,
)
from refimpl.functional.normalization import batch_norm, layer_norm, standardize_weight
from refimpl.functional.path_sgd import path_norm, path_sgd_scales
from refimpl.functional.powerpropagation import powerprop, powerprop_inverse
from refimpl.functional.recurrent import (
    chung_gru_cell,
    deep_transition_cell,
    graves_lstm_cell,
    gru_cell,
    lstm_cell,
    rnn_cell,
)
from refimpl.functional.recurrent_fused import gru_layer, lstm_layer
from refimpl.functional.recurrent_init import (
    random_orthogonal,
    random_unitary,
    spectral_radius,
    with_spectral_radius,
)
from refimpl.functional.regression import least_squares, least_squares_gd, polynomial_features
from refimpl.functional.rmsprop import rmsprop_step, rmsprop_update
from refimpl.functional.rtrl import rtrl_gradients
from refimpl.functional.rwkv import wkv_parallel, wkv_recurrent
from refimpl.functional.sam import sam_perturbation
from refimpl.functional.schedules import (
    cosine_lr,
    exponential_lr,
    linear_lr,
    step_lr,
    warmup_cosine_lr,
)
from refimpl.functional.second_order import (
    damped_newton_direction,
    flat_gradient_and_hessian,
    newton_direction,
    saddle_free_newton_direction,
)
from refimpl.functional.sgd import sgd_step, sgd_update
from refimpl.functional.slide_adam import slide_adam_step, slide_adam_update
from refimpl.functional.ssm import (
    causal_convolution,
    discretize,
    discretize_diagonal,
    ssm_kernel,
    ssm_recurrence,
)
from refimpl.functional.vanishing import vanishing_gradient_regularizer
from refimpl.functional.woodfisher import woodfisher_inverse

__all__ = [
    "ForwardCache",
    "accuracy",
    "adadelta_step",
    "adadelta_update",
    "adagrad_step",
    "adagrad_update",
    "adam_step",
    "adam_update",
    "as_additive_mask",
    "associative_scan",
    "avg_pool2d",
    "batch_norm",
    "calculate_gain",
    "categorical_output_fisher",
    "causal_convolution",
    "causal_mask",
    "chrono_forget_bias",
    "chung_gru_cell",
    "chunked_scan",
    "clip_by_norm",
    "clip_grad_norm_",
    "conv2d",
    "cosine_lr",
    "cross_entropy",
    "damped_newton_direction",
    "deep_transition_cell",
    "discretize",
    "discretize_diagonal",
    "edge_softmax_attention",
    "elman_bptt",
    "elman_states",
    "elu_feature_map",
    "ema_momentum_step",
    "ema_momentum_update",
    "empirical_fisher",
    "esn_states",
    "exponential_lr",
    "fan_in_and_fan_out",
    "fgsm",
    "fisher_from_jacobians",
    "flat_gradient_and_hessian",
    "gaussian_output_fisher",
    "gelu",
    "graves_lstm_cell",
    "gru_cell",
    "gru_layer",
    "huber_loss",
    "im2col",
    "implicit_affine",
    "input_gradient",
    "kaiming_normal_",
    "kaiming_uniform_",
    "kfac_direction",
    "kronecker_factors",
    "l1_loss",
    "layer_norm",
    "least_squares",
    "least_squares_gd",
    "linear",
    "linear_attention_chunked",
    "linear_attention_parallel",
    "linear_attention_recurrent",
    "linear_lr",
    "lru_gamma",
    "lru_lambda",
    "lstm_cell",
    "lstm_layer",
    "max_pool2d",
    "mlp_backward",
    "mlp_forward",
    "mse_loss",
    "multiplicative_interaction",
    "natural_gradient_direction",
    "newton_direction",
    "orthogonal_",
    "pad2d",
    "path_norm",
    "path_sgd_scales",
    "per_example_jacobians",
    "pgd_linf",
    "polynomial_features",
    "powerprop",
    "powerprop_inverse",
    "random_orthogonal",
    "random_sign_perturbation",
    "random_unitary",
    "refine_gate",
    "relu",
    "relu_derivative",
    "ridge_readout",
    "rmsprop_step",
    "rmsprop_update",
    "rnn_cell",
    "rtrl_gradients",
    "saddle_free_newton_direction",
    "sam_perturbation",
    "scaled_dot_product_attention",
    "sequential_scan",
    "sgd_step",
    "sgd_update",
    "sigmoid",
    "sigmoid_derivative",
    "sinusoidal_positional_encoding",
    "slide_adam_step",
    "slide_adam_update",
    "softmax",
    "spectral_radius",
    "ssm_kernel",
    "ssm_recurrence",
    "standardize_weight",
    "step_lr",
    "tanh",
    "tanh_derivative",
    "total_norm",
    "ugi_forget_bias",
    "ur_lstm_cell",
    "vanishing_gradient_regularizer",
    "warmup_cosine_lr",
    "with_spectral_radius",
    "wkv_parallel",
    "wkv_recurrent",
    "woodfisher_inverse",
    "xavier_normal_",
    "xavier_uniform_",
]
