/*
 * hf_config.h — reading an architecture from a Hugging Face config.json,
 * as shipped with a model, for `--arch FILE|NAME` (io/arch_file.h).
 *
 * The family is found by the class in `architectures` (its first entry),
 * else by `model_type`:
 *
 *   LlamaForCausalLM  llama       dense
 *   MistralForCausalLM mistral    dense
 *   MixtralForCausalLM mixtral    num_local_experts of intermediate_size,
 *                                 every layer MoE
 *   Qwen2MoeForCausalLM qwen2_moe num_experts of moe_intermediate_size, one
 *                                 shared expert of
 *                                 shared_expert_intermediate_size; layer i
 *                                 is MoE when (i + 1) % decoder_sparse_step
 *                                 == 0 and i is not in mlp_only_layers
 *   Qwen3MoeForCausalLM qwen3_moe the same, without the shared expert
 *   OlmoeForCausalLM  olmoe       num_experts of intermediate_size
 *   DeepseekV2ForCausalLM, DeepseekV3ForCausalLM  deepseek_v2, deepseek_v3
 *                                 n_routed_experts and n_shared_experts of
 *                                 moe_intermediate_size; layer i is MoE
 *                                 when i >= first_k_dense_replace and
 *                                 i % moe_layer_freq == 0; multi-head
 *                                 latent attention (q_lora_rank,
 *                                 kv_lora_rank, qk_nope_head_dim,
 *                                 qk_rope_head_dim, v_head_dim)
 *   GraniteMoeForCausalLM granitemoe  as Mixtral
 *
 * An unknown family without expert or latent-attention keys is read with
 * Llama's keys, and the note says so; one with them is an error.  The
 * context length is rope_scaling's original_max_position_embeddings when
 * the config has one (the context the model was trained at before its
 * RoPE was stretched: DeepSeek-V2/V3's 4096), else max_position_embeddings.
 * Keys a family does not use are ignored; biases, QK-norm gains, the
 * Qwen2-MoE shared-expert gate, DeepSeek-V3's router bias and its
 * multi-token-prediction module are not counted (each under 0.01% of the
 * model, the MTP module being outside the published count).
 *
 * Errors carry the config's file, line and column: a missing key at the
 * top-level object, a value of the wrong type or out of range at the value.
 * Nothing allocated is kept after return.
 */
#ifndef MP_HF_CONFIG_H
#define MP_HF_CONFIG_H

#include <stddef.h>

#include "core/arch.h"
#include "core/error.h"
#include "io/yamldoc.h"

/* 1 if the document y, loaded from path, is to be read as a Hugging Face
 * config: path ends in ".json", or its top-level mapping has a model_type
 * or an architectures key (which no moeplan architecture file has). */
int hf_config_wanted(const char *path, struct yamldoc *y);

/* Read y into *a (which then passed arch_check).  note (NULL, or n bytes)
 * gets "" or one line on how the config was read.  0, or -1 with err. */
int hf_config_read(struct yamldoc *y, struct arch *a, char *note, size_t n,
                   struct mp_error *err);

#endif
