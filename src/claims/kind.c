// SPDX-License-Identifier: MIT
/* The table of claim kinds, indexed by enum ot_claim_kind_id (see kind.h). */
#include "claims/kind.h"

#include <string.h>

static const struct ot_claim_kind kinds[OT_CLAIM_NKINDS] = {
    [OT_CLAIM_UNKNOWN] = {"", 0, 0, NULL, NULL, NULL},
    [OT_CLAIM_PAIRS] = {"pairs", 0, 1, ot_parse_pairs, ot_eval_pairs, ot_sentence_pairs},
    [OT_CLAIM_DECODED] = {"decoded", 0, 0, ot_parse_none, ot_eval_decoded, ot_sentence_decoded},
    [OT_CLAIM_USER_AGREES] = {"user_agrees", 0, 0, ot_parse_none, ot_eval_user_agrees,
			      ot_sentence_user_agrees},
    [OT_CLAIM_NO_LOSS] = {"no_loss", 0, 0, ot_parse_none, ot_eval_no_loss, ot_sentence_no_loss},
    [OT_CLAIM_HIT] = {"hit", 1, 1, ot_parse_one_sel, ot_eval_hit, ot_sentence_hit},
    [OT_CLAIM_ABSENT] = {"absent", 1, 1, ot_parse_one_sel, ot_eval_hit, ot_sentence_absent},
    [OT_CLAIM_COUNT] = {"count", 3, 3, ot_parse_count, ot_eval_count, ot_sentence_count},
    [OT_CLAIM_RET_OK] = {"ret_ok", 1, 1, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_RET_NULL] = {"ret_null", 1, 1, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_RET_ERR] = {"ret_err", 2, 2, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_SAME_PTR] = {"same_ptr", 2, 2, ot_parse_two_sels, ot_eval_pair_values,
			   ot_sentence_same_ptr},
    [OT_CLAIM_NEW_PTR] = {"new_ptr", 2, 2, ot_parse_two_sels, ot_eval_pair_values,
			  ot_sentence_new_ptr},
    [OT_CLAIM_PTR_DIFF] = {"ptr_diff", 4, 4, ot_parse_ptr_diff, ot_eval_pair_values,
			   ot_sentence_ptr_diff},
    [OT_CLAIM_ORDER] = {"order", 3, 3, ot_parse_order, ot_eval_order, ot_sentence_order},
    [OT_CLAIM_FIELD] = {"field", 3, 3, ot_parse_field, ot_eval_field, ot_sentence_field},
    [OT_CLAIM_USER] = {"user", 3, 4, ot_parse_user, ot_eval_user, ot_sentence_user},
    [OT_CLAIM_CALLER] = {"caller", 2, 2, ot_parse_caller, ot_eval_caller, ot_sentence_caller},
    [OT_CLAIM_RAN] = {"ran", 2, 3, ot_parse_ran, ot_eval_lines, ot_sentence_ran},
    [OT_CLAIM_NOT_RAN] = {"not_ran", 2, 3, ot_parse_ran, ot_eval_lines, ot_sentence_ran},
    [OT_CLAIM_ORIGIN] = {"origin", 3, 3, ot_parse_origin, ot_eval_lines, ot_sentence_origin},
};

const struct ot_claim_kind *ot_claim_kind_of(enum ot_claim_kind_id id)
{
	return &kinds[id > OT_CLAIM_UNKNOWN && id < OT_CLAIM_NKINDS ? id : OT_CLAIM_UNKNOWN];
}

enum ot_claim_kind_id ot_claim_kind_find(const char *name)
{
	for (int i = OT_CLAIM_UNKNOWN + 1; i < OT_CLAIM_NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return (enum ot_claim_kind_id)i;
	return OT_CLAIM_UNKNOWN;
}
