/* sw_stub.c - temporary stubs of the switch API (replaced as it is implemented). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include "switch/sw.h"

void sw_opts_init(struct sw_opts *o)
{ }

struct sw *sw_new(const char *json_path, const struct sw_opts *opts, struct err *e)
{ return NULL; }

struct sw *sw_new_from_buffer(const char *json, size_t len, const char *name, const struct sw_opts *opts, struct err *e)
{ return NULL; }

void sw_free(struct sw *sw)
{ }

void sw_set_trace(struct sw *sw, sw_trace_fn fn, void *ctx)
{ }

int sw_process(struct sw *sw, const struct sw_pkt *in, size_t n_in, struct sw_pkt *out, size_t max_out, size_t *n_out)
{ return -ENOSYS; }

size_t sw_poll(struct sw *sw, struct sw_pkt *out, size_t max_out, size_t *n_out)
{ return 0; }

uint64_t sw_next_wakeup_us(struct sw *sw)
{ return UINT64_MAX; }

void sw_get_stats(struct sw *sw, struct sw_stats *st)
{ }

const char *sw_match_kind_name(enum sw_match_kind k)
{ return NULL; }

size_t sw_num_tables(struct sw *sw)
{ return 0; }

const struct sw_table_info *sw_table_info_at(struct sw *sw, size_t i)
{ return NULL; }

const struct sw_table_info *sw_table_info(struct sw *sw, const char *name, struct err *e)
{ return NULL; }

size_t sw_num_actions(struct sw *sw)
{ return 0; }

const struct sw_action_info *sw_action_info_at(struct sw *sw, size_t i)
{ return NULL; }

const struct sw_action_info *sw_action_by_id(struct sw *sw, uint32_t id)
{ return NULL; }

const struct sw_action_info *sw_action_info(struct sw *sw, const char *name, struct err *e)
{ return NULL; }

size_t sw_num_objects(struct sw *sw, enum sw_object_kind kind)
{ return 0; }

const struct sw_object_info *sw_object_info_at(struct sw *sw, enum sw_object_kind kind, size_t i)
{ return NULL; }

const struct sw_object_info *sw_object_info(struct sw *sw, enum sw_object_kind kind, const char *name, struct err *e)
{ return NULL; }

int sw_table_add(struct sw *sw, const char *table, const struct sw_match_param *match, size_t n_match, int priority, const struct sw_action_ref *act, uint64_t *handle, struct err *e)
{ return -ENOSYS; }

int sw_table_modify(struct sw *sw, const char *table, uint64_t handle, const struct sw_action_ref *act, struct err *e)
{ return -ENOSYS; }

int sw_table_delete(struct sw *sw, const char *table, uint64_t handle, struct err *e)
{ return -ENOSYS; }

int sw_table_clear(struct sw *sw, const char *table, struct err *e)
{ return -ENOSYS; }

int sw_table_set_default(struct sw *sw, const char *table, const struct sw_action_ref *act, struct err *e)
{ return -ENOSYS; }

int sw_table_reset_default(struct sw *sw, const char *table, struct err *e)
{ return -ENOSYS; }

int sw_table_set_timeout(struct sw *sw, const char *table, uint64_t handle, unsigned ms, struct err *e)
{ return -ENOSYS; }

long sw_table_num_entries(struct sw *sw, const char *table, struct err *e)
{ return -ENOSYS; }

int sw_table_find(struct sw *sw, const char *table, const struct sw_match_param *match, size_t n_match, int priority, uint64_t *handle, struct err *e)
{ return -ENOSYS; }

int sw_table_dump(struct sw *sw, const char *table, sw_entry_fn fn, void *ctx, struct err *e)
{ return -ENOSYS; }

int sw_table_read(struct sw *sw, const char *table, uint64_t handle, sw_entry_fn fn, void *ctx, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_add_member(struct sw *sw, const char *prof, const char *action, const struct sw_bytes *args, size_t n_args, uint32_t *member, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_modify_member(struct sw *sw, const char *prof, uint32_t member, const char *action, const struct sw_bytes *args, size_t n_args, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_delete_member(struct sw *sw, const char *prof, uint32_t member, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_create_group(struct sw *sw, const char *prof, uint32_t *group, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_delete_group(struct sw *sw, const char *prof, uint32_t group, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_add_to_group(struct sw *sw, const char *prof, uint32_t member, uint32_t group, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_remove_from_group(struct sw *sw, const char *prof, uint32_t member, uint32_t group, struct err *e)
{ return -ENOSYS; }

int sw_act_prof_dump(struct sw *sw, const char *prof, sw_member_fn mfn, sw_group_fn gfn, void *ctx, struct err *e)
{ return -ENOSYS; }

int sw_mc_mgrp_create(struct sw *sw, uint32_t mgrp, struct err *e)
{ return -ENOSYS; }

int sw_mc_mgrp_destroy(struct sw *sw, uint32_t mgrp, struct err *e)
{ return -ENOSYS; }

int sw_mc_node_create(struct sw *sw, uint32_t rid, const uint32_t *ports, size_t n_ports, uint32_t *node, struct err *e)
{ return -ENOSYS; }

int sw_mc_node_update(struct sw *sw, uint32_t node, const uint32_t *ports, size_t n_ports, struct err *e)
{ return -ENOSYS; }

int sw_mc_node_destroy(struct sw *sw, uint32_t node, struct err *e)
{ return -ENOSYS; }

int sw_mc_node_associate(struct sw *sw, uint32_t mgrp, uint32_t node, struct err *e)
{ return -ENOSYS; }

int sw_mc_node_dissociate(struct sw *sw, uint32_t mgrp, uint32_t node, struct err *e)
{ return -ENOSYS; }

int sw_mc_dump(struct sw *sw, char **out, struct err *e)
{ return -ENOSYS; }

int sw_mirroring_add(struct sw *sw, uint32_t session, const struct sw_mirror *m, struct err *e)
{ return -ENOSYS; }

int sw_mirroring_delete(struct sw *sw, uint32_t session, struct err *e)
{ return -ENOSYS; }

int sw_mirroring_get(struct sw *sw, uint32_t session, struct sw_mirror *m, struct err *e)
{ return -ENOSYS; }

int sw_counter_read(struct sw *sw, const char *name, uint64_t index, uint64_t *bytes, uint64_t *packets, struct err *e)
{ return -ENOSYS; }

int sw_counter_write(struct sw *sw, const char *name, uint64_t index, uint64_t bytes, uint64_t packets, struct err *e)
{ return -ENOSYS; }

int sw_counter_reset(struct sw *sw, const char *name, struct err *e)
{ return -ENOSYS; }

int sw_meter_set_rates(struct sw *sw, const char *name, uint64_t index, const struct sw_meter_rate *rates, size_t n, struct err *e)
{ return -ENOSYS; }

int sw_meter_get_rates(struct sw *sw, const char *name, uint64_t index, struct sw_meter_rate *rates, size_t *n, struct err *e)
{ return -ENOSYS; }

int sw_meter_reset_rates(struct sw *sw, const char *name, struct err *e)
{ return -ENOSYS; }

int sw_register_read(struct sw *sw, const char *name, uint64_t index, uint8_t *out, size_t outlen, struct err *e)
{ return -ENOSYS; }

int sw_register_write(struct sw *sw, const char *name, uint64_t index, const struct sw_bytes *val, struct err *e)
{ return -ENOSYS; }

int sw_register_reset(struct sw *sw, const char *name, struct err *e)
{ return -ENOSYS; }

int sw_pvs_add(struct sw *sw, const char *name, const struct sw_bytes *val, const struct sw_bytes *mask, struct err *e)
{ return -ENOSYS; }

int sw_pvs_remove(struct sw *sw, const char *name, const struct sw_bytes *val, const struct sw_bytes *mask, struct err *e)
{ return -ENOSYS; }

int sw_pvs_clear(struct sw *sw, const char *name, struct err *e)
{ return -ENOSYS; }

int sw_pvs_get(struct sw *sw, const char *name, sw_pvs_fn fn, void *ctx, struct err *e)
{ return -ENOSYS; }

size_t sw_learn_drain(struct sw *sw, sw_learn_fn fn, void *ctx)
{ return 0; }

int sw_set_queue_depth(struct sw *sw, int port, int prio, unsigned depth, struct err *e)
{ return -ENOSYS; }

int sw_set_queue_rate(struct sw *sw, int port, int prio, uint64_t pps, struct err *e)
{ return -ENOSYS; }

unsigned sw_queue_occupancy(struct sw *sw, uint32_t port, unsigned prio)
{ return 0; }

int sw_load_config(struct sw *sw, const char *json, size_t len, const char *name, struct err *e)
{ return -ENOSYS; }

int sw_swap_config(struct sw *sw, struct err *e)
{ return -ENOSYS; }

const char *sw_get_config(struct sw *sw, size_t *len)
{ return NULL; }

void sw_reset_state(struct sw *sw)
{ }

void sw_get_info(struct sw *sw, struct sw_info *info)
{ }
