// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/* yagura runtime sensor: syscall and process events to a BPF ring buffer.
 *
 * Programs: raw_tp/sys_enter + raw_tp/sys_exit for the syscalls user space
 * enables in `syscall_conf`, and tp_btf on sched_process_{fork,exec,exit} for
 * the process table. A syscall's arguments are captured at entry (paths are
 * read before the kernel acts on them) and sent with its result at exit.
 *
 * Response: a syscall matching an in-kernel kill rule gets SIGKILL from
 * bpf_send_signal() at entry, so the caller never returns from it: an exec'd
 * program never runs an instruction, a blocking connect never hands back a
 * socket. Tracepoints cannot veto the syscall itself (that needs BPF-LSM or
 * kprobe override); see ARCHITECTURE.md. Rebuild with scripts/gen-bpf.sh;
 * the object is committed.
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "sensor.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} events SEC(".maps");

/* Per syscall number: CONF_* bits. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SYSCALLS);
	__type(key, u32);
	__type(value, u32);
} syscall_conf SEC(".maps");

/* [0] = agent tgid (its own syscalls are not reported), [1] = global flags. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u32);
} config SEC(".maps");

/* [0] ring buffer full, [1] in-flight table full, [2] events sent, [3] filtered in kernel. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, u32);
	__type(value, struct sys_event);
} inflight SEC(".maps");

/* Entries added to `inflight` minus entries removed. Raised before an entry
 * is added, lowered after one is removed, so zero proves the table holds
 * nothing for this thread and sys_exit can skip the hash lookup. Entries the
 * LRU evicts or whose exit never comes leave it high: slower, never wrong. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, s64);
} inflight_count SEC(".maps");

static __always_inline void inflight_add(s64 d)
{
	u32 zero = 0;
	s64 *c = bpf_map_lookup_elem(&inflight_count, &zero);
	if (c)
		__sync_fetch_and_add(c, d);
}

static __always_inline bool inflight_maybe(void)
{
	u32 zero = 0;
	s64 *c = bpf_map_lookup_elem(&inflight_count, &zero);
	return !c || *c > 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct sys_event);
} sys_scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct proc_event);
} proc_scratch SEC(".maps");

/* First four bytes of every watched prefix (a cheap test before the path read). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, u32);
	__type(value, u8);
} open_heads SEC(".maps");

/* Path prefixes that make an open worth reporting (value: OPEN_PREFIX_* bits). */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__type(key, struct path_key);
	__type(value, u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} open_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_KILL_RULES);
	__type(key, u32);
	__type(value, struct kill_rule);
} kill_rules SEC(".maps");

static __always_inline void count(u32 idx)
{
	u64 *c = bpf_map_lookup_elem(&counters, &idx);
	if (c)
		*c += 1;
}

/* Waking the reader costs the traced task an IPI per record; user space
 * polls on a short timer instead, and is woken only when the ring fills. */
#define WAKEUP_BYTES (1 << 20)
static __always_inline u64 rb_flags(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP
									      : BPF_RB_NO_WAKEUP;
}

static __always_inline u32 config_get(u32 idx)
{
	u32 *v = bpf_map_lookup_elem(&config, &idx);
	return v ? *v : 0;
}

static __always_inline void fill_task(struct task_struct *t, u32 *uid, u32 *gid, u32 *euid, u32 *egid, u32 *loginuid)
{
	const struct cred *cred = BPF_CORE_READ(t, cred);
	*uid = BPF_CORE_READ(cred, uid.val);
	*gid = BPF_CORE_READ(cred, gid.val);
	*euid = BPF_CORE_READ(cred, euid.val);
	*egid = BPF_CORE_READ(cred, egid.val);
	if (bpf_core_field_exists(t->loginuid))
		*loginuid = BPF_CORE_READ(t, loginuid.val);
	else
		*loginuid = (u32)-1;
}

static __always_inline struct kernfs_node *kn_parent(struct kernfs_node *kn)
{
	if (bpf_core_field_exists(kn->__parent))
		return BPF_CORE_READ(kn, __parent);
	struct kernfs_node___pre615 *old = (void *)kn;
	return BPF_CORE_READ(old, parent);
}

static __always_inline void read_cgroup(struct cgroup *cg, char *leaf, char *parent)
{
	struct kernfs_node *kn = BPF_CORE_READ(cg, kn);
	if (!kn)
		return;
	bpf_probe_read_kernel_str(leaf, CGROUP_NAME_LEN, BPF_CORE_READ(kn, name));
	struct kernfs_node *p = kn_parent(kn);
	if (p)
		bpf_probe_read_kernel_str(parent, CGROUP_NAME_LEN, BPF_CORE_READ(p, name));
}

/* Leaf and parent cgroup names on the unified (v2) hierarchy and on the v1
 * pids (or cpu) hierarchy: enough for user space to recognise every container
 * runtime's naming without reading /proc after the process is gone. */
static __always_inline void fill_cgroups(struct task_struct *t, struct proc_event *e)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	if (!cs)
		return;
	read_cgroup(BPF_CORE_READ(cs, dfl_cgrp), e->cg[0], e->cg[1]);
	int id = bpf_core_enum_value(enum cgroup_subsys_id, pids_cgrp_id);
	if (id < 0 || id >= 12)
		return;
	struct cgroup_subsys_state *css = BPF_CORE_READ(cs, subsys[id]);
	if (css)
		read_cgroup(BPF_CORE_READ(css, cgroup), e->cg[2], e->cg[3]);
}

static __always_inline bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A cgroup name holding a 64-hex container ID at one of the offsets the
 * runtimes use: "<id>", "crio-<id>", "docker-<id>"/"libpod-<id>",
 * "nerdctl-<id>", "cri-containerd-<id>". */
static __always_inline bool name_has_container_id(const char *name)
{
	const int offsets[5] = {0, 5, 7, 8, 15};
	for (int o = 0; o < 5; o++) {
		int off = offsets[o];
		bool all = true;
		for (int i = 0; i < 64; i++) {
			if (!is_hex(name[(off + i) & (CGROUP_NAME_LEN - 1)])) {
				all = false;
				break;
			}
		}
		if (all)
			return true;
	}
	return false;
}

static __always_inline bool current_in_container(void)
{
	u32 zero = 0;
	struct proc_event *e = bpf_map_lookup_elem(&proc_scratch, &zero);
	if (!e)
		return false;
	for (int i = 0; i < 4; i++)
		e->cg[i][0] = 0;
	fill_cgroups((struct task_struct *)bpf_get_current_task(), e);
	for (int i = 0; i < 4; i++)
		if (name_has_container_id(e->cg[i]))
			return true;
	return false;
}

static __always_inline bool open_is_write(u64 flags)
{
	return (flags & 3) != 0 || (flags & (0100 | 01000)) != 0;
}

/* Which argument holds the primary path, per syscall (-1: none). */
static __always_inline int path_arg(u32 nr)
{
	switch (nr) {
	case NR_open: case NR_creat: case NR_rename: case NR_unlink: case NR_chmod:
	case NR_chown: case NR_lchown: case NR_execve: case NR_memfd_create:
		return 0;
	case NR_openat: case NR_openat2: case NR_renameat: case NR_renameat2: case NR_unlinkat:
	case NR_fchmodat: case NR_fchownat: case NR_execveat:
		return 1;
	case NR_mount:
		return 0;
	default:
		return -1;
	}
}

static __always_inline bool kill_rule_matches(struct kill_rule *r, struct sys_event *e, u32 nr, bool *need_container)
{
	if (!r->active)
		return false;
	if (!(r->syscalls[(nr >> 6) & 7] & (1ULL << (nr & 63))))
		return false;
	if ((r->flags & KILL_OPEN_WRITE) && !open_is_write(e->args[5]))
		return false;
	if (r->flags & KILL_COMM) {
		for (u32 i = 0; i < 15; i++) {
			char want = r->comm[i];
			char got = e->comm[i];
			if (want != got)
				return false;
			if (!want)
				break;
		}
	}
	if (r->flags & (KILL_PATH_EXACT | KILL_PATH_PREFIX)) {
		u32 n = r->path_len;
		if (n > KILL_PATH_LEN)
			return false;
		for (int i = 0; i < KILL_PATH_LEN; i++) {
			if (i >= n)
				break;
			if (r->path[i] != e->path[0][i])
				return false;
		}
		if ((r->flags & KILL_PATH_EXACT) && e->path[0][n & (PATH_LEN - 1)] != 0)
			return false;
	}
	if (r->flags & KILL_CONTAINER)
		*need_container = true;
	return true;
}

struct kill_scan {
	struct sys_event *e;
	u32 nr;
	u32 plain;     /* rule id + 1 of the first match without a container condition */
	u32 container; /* rule id + 1 of the first match that needs a container */
};

static long kill_scan_one(u32 i, void *arg)
{
	struct kill_scan *ks = arg;
	struct kill_rule *r = bpf_map_lookup_elem(&kill_rules, &i);
	if (!r)
		return 1;
	bool need_container = false;
	if (!kill_rule_matches(r, ks->e, ks->nr, &need_container))
		return 0;
	if (!need_container) {
		ks->plain = r->rule_id + 1;
		return 1;
	}
	if (!ks->container)
		ks->container = r->rule_id + 1;
	return 0;
}

/* Returns the rule id + 1 of the first kill rule that matches, else 0.
 * bpf_loop keeps the verifier from unrolling rules x path bytes. */
static __always_inline u32 kill_check(struct sys_event *e, u32 nr)
{
	struct kill_scan ks = {.e = e, .nr = nr};
	bpf_loop(MAX_KILL_RULES, kill_scan_one, &ks, 0);
	if (ks.plain)
		return ks.plain;
	if (ks.container && current_in_container())
		return ks.container;
	return 0;
}

static __always_inline void read_user_str(char *dst, u32 size, const void *src)
{
	if (src)
		bpf_probe_read_user_str(dst, size, src);
	else
		dst[0] = 0;
}

/* An open that no rule can care about: neither a write the rules watch nor
 * below a watched prefix. Relative paths pass (user space resolves them). */
static __always_inline bool open_filtered_out(struct sys_event *e, u32 conf)
{
	if (!(conf & CONF_OPEN_FILTER))
		return false;
	bool write = open_is_write(e->args[5]);
	if (write && (conf & CONF_OPEN_WRITE_ALL))
		return false;
	if (e->path[0][0] != '/')
		return false;
	/* lpm_prefixlen + path[0] are laid out as a struct path_key */
	e->lpm_prefixlen = PATH_LEN * 8;
	u32 *v = bpf_map_lookup_elem(&open_prefixes, &e->lpm_prefixlen);
	if (!v)
		return true;
	if (*v & OPEN_PREFIX_ANY)
		return false;
	if ((*v & OPEN_PREFIX_WRITE) && write)
		return false;
	return true;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(yagura_sys_enter, struct pt_regs *regs, long id_arg)
{
	u32 nr = (u32)id_arg;
	if (nr >= MAX_SYSCALLS)
		return 0;
	u32 *confp = bpf_map_lookup_elem(&syscall_conf, &nr);
	if (!confp || !(*confp & CONF_ENABLED))
		return 0;
	u32 conf = *confp;

	/* Most opens interest no rule. Decide that first, from the registers and
	 * the path's first four bytes alone: they must start some watched prefix,
	 * unless every write is watched and this is one. */
	if ((conf & CONF_OPEN_HEADS) && nr != NR_openat2) {
		u64 flags = nr == NR_open ? regs->si : nr == NR_openat ? regs->dx : 01 | 0100 | 01000;
		const void *up = (const void *)(nr == NR_openat ? regs->si : regs->di);
		if (!(open_is_write(flags) && (conf & CONF_OPEN_WRITE_ALL))) {
			u32 head = 0;
			if (bpf_probe_read_user(&head, sizeof(head), up) == 0 && (head & 0xff) == '/' &&
			    !bpf_map_lookup_elem(&open_heads, &head)) {
				count(3);
				return 0;
			}
		}
	}

	u64 id = bpf_get_current_pid_tgid();
	u32 tgid = id >> 32;
	if (tgid == config_get(0))
		return 0;

	u32 zero = 0;
	struct sys_event *e = bpf_map_lookup_elem(&sys_scratch, &zero);
	if (!e)
		return 0;
	/* tp_btf gives a typed pt_regs: plain loads, no probe-read helpers. */
	e->args[0] = regs->di;
	e->args[1] = regs->si;
	e->args[2] = regs->dx;
	e->args[3] = regs->r10;
	e->args[4] = regs->r8;
	e->args[5] = 0; /* normalised open flags */
	e->path[0][0] = 0;

	int pa = path_arg(nr);
	if (conf & CONF_OPEN_FILTER) {
		if (nr == NR_open)
			e->args[5] = e->args[1];
		else if (nr == NR_openat)
			e->args[5] = e->args[2];
		else if (nr == NR_creat)
			e->args[5] = 01 | 0100 | 01000;
	}
	if (pa == 0)
		read_user_str(e->path[0], PATH_LEN, (const void *)e->args[0]);
	else if (pa == 1)
		read_user_str(e->path[0], PATH_LEN, (const void *)e->args[1]);

	/* Then the exact prefix test on the whole path. */
	if ((conf & CONF_OPEN_FILTER) && nr != NR_openat2 && open_filtered_out(e, conf)) {
		count(3);
		return 0;
	}

	e->kind = nr;
	e->tgid = tgid;
	e->tid = (u32)id;
	e->ts = bpf_ktime_get_boot_ns();
	e->res = 0;
	e->flags = 0;
	e->killed_by = 0;
	e->path[1][0] = 0;
	e->small[0] = 0;
	e->sockaddr_len = 0;
	e->sk_family = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));

	switch (nr) {
	case NR_open:
		e->args[5] = e->args[1];
		break;
	case NR_openat:
		e->args[5] = e->args[2];
		break;
	case NR_creat:
		e->args[5] = 01 | 0100 | 01000;
		break;
	case NR_openat2: {
		struct open_how how = {};
		bpf_probe_read_user(&how, sizeof(how), (const void *)e->args[2]);
		e->args[5] = how.flags;
		e->args[3] = how.mode;
		break;
	}
	case NR_rename:
		read_user_str(e->path[1], PATH_LEN, (const void *)e->args[1]);
		break;
	case NR_renameat:
	case NR_renameat2:
		read_user_str(e->path[1], PATH_LEN, (const void *)e->args[3]);
		break;
	case NR_mount:
		read_user_str(e->path[1], PATH_LEN, (const void *)e->args[1]);
		read_user_str(e->small, SMALL_LEN, (const void *)e->args[2]);
		break;
	case NR_connect:
	case NR_bind: {
		u64 len = e->args[2];
		if (len > SOCKADDR_LEN - 1)
			len = SOCKADDR_LEN - 1;
		if (len > 0 &&
		    bpf_probe_read_user(e->sockaddr, len & (SOCKADDR_LEN - 1), (const void *)e->args[1]) == 0)
			e->sockaddr_len = len;
		break;
	}
	default:
		break;
	}

	if (nr == NR_openat2 && (conf & CONF_OPEN_FILTER) && open_filtered_out(e, conf)) {
		count(3);
		return 0;
	}

	if (conf & CONF_KILL) {
		u32 rule = kill_check(e, nr);
		if (rule) {
			bpf_send_signal(9);
			e->killed_by = rule;
			/* Report now: the exit may never be seen for a task that dies. */
			if (bpf_ringbuf_output(&events, e, sizeof(*e), rb_flags()) != 0)
				count(0);
			return 0;
		}
	}

	inflight_add(1);
	if (bpf_map_update_elem(&inflight, &e->tid, e, BPF_ANY) != 0) {
		inflight_add(-1);
		count(1);
	}
	return 0;
}

static __always_inline void fill_socket(struct sys_event *e, int fd)
{
	if (fd < 0)
		return;
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	if (!fdt)
		return;
	unsigned int max = BPF_CORE_READ(fdt, max_fds);
	if ((unsigned int)fd >= max)
		return;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	if (!f)
		return;
	struct socket *sock = BPF_CORE_READ(f, private_data);
	if (!sock)
		return;
	struct sock *sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	e->sk_family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->sk_proto = BPF_CORE_READ(sk, sk_protocol);
	e->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->rport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (e->sk_family == 2) {
		u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__builtin_memcpy(e->laddr, &l, 4);
		__builtin_memcpy(e->raddr, &r, 4);
	} else if (e->sk_family == 10) {
		BPF_CORE_READ_INTO(&e->laddr, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&e->raddr, sk, __sk_common.skc_v6_daddr);
	}
}

SEC("tp_btf/sys_exit")
int BPF_PROG(yagura_sys_exit, struct pt_regs *regs, long ret)
{
	/* Most syscalls are not enabled: an array lookup settles that before
	 * the per-thread table is touched. */
	u32 nr = (u32)regs->orig_ax;
	if (nr >= MAX_SYSCALLS)
		return 0;
	u32 *confp = bpf_map_lookup_elem(&syscall_conf, &nr);
	if (!confp || !(*confp & CONF_ENABLED))
		return 0;
	if (!inflight_maybe())
		return 0;
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct sys_event *e = bpf_map_lookup_elem(&inflight, &tid);
	if (!e)
		return 0;
	e->res = ret;
	switch (e->kind) {
	case NR_connect:
	case NR_bind:
	case NR_listen:
		fill_socket(e, (int)e->args[0]);
		break;
	case NR_accept:
	case NR_accept4:
		fill_socket(e, (int)e->res);
		break;
	default:
		break;
	}
	if (bpf_ringbuf_output(&events, e, sizeof(*e), rb_flags()) != 0)
		count(0);
	else
		count(2);
	if (bpf_map_delete_elem(&inflight, &tid) == 0)
		inflight_add(-1);
	return 0;
}

static __always_inline struct proc_event *proc_begin(u32 kind, struct task_struct *t)
{
	u32 zero = 0;
	struct proc_event *e = bpf_map_lookup_elem(&proc_scratch, &zero);
	if (!e)
		return NULL;
	e->kind = kind;
	e->ts = bpf_ktime_get_boot_ns();
	e->tgid = BPF_CORE_READ(t, tgid);
	e->tid = BPF_CORE_READ(t, pid);
	e->ppid = BPF_CORE_READ(t, real_parent, tgid);
	e->start_time = BPF_CORE_READ(t, group_leader, start_boottime);
	fill_task(t, &e->uid, &e->gid, &e->euid, &e->egid, &e->loginuid);
	BPF_CORE_READ_STR_INTO(&e->comm, t, comm);
	for (int i = 0; i < 4; i++)
		e->cg[i][0] = 0;
	e->filename[0] = 0;
	e->exe_name[0] = 0;
	e->args_len = 0;
	e->exe_ino = 0;
	e->exe_mtime = 0;
	e->exe_nlink = 0;
	e->exit_code = 0;
	return e;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(yagura_fork, struct task_struct *parent, struct task_struct *child)
{
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0; /* a new thread, not a process */
	if (BPF_CORE_READ(parent, tgid) == config_get(0))
		return 0;
	struct proc_event *e = proc_begin(EV_FORK, child);
	if (!e)
		return 0;
	e->ppid = BPF_CORE_READ(parent, tgid);
	fill_cgroups(child, e);
	if (bpf_ringbuf_output(&events, e, sizeof(*e), rb_flags()) != 0)
		count(0);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(yagura_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (BPF_CORE_READ(p, tgid) == config_get(0))
		return 0;
	struct proc_event *e = proc_begin(EV_EXEC, p);
	if (!e)
		return 0;
	fill_cgroups(p, e);
	bpf_probe_read_kernel_str(e->filename, PATH_LEN, BPF_CORE_READ(bprm, filename));
	struct mm_struct *mm = BPF_CORE_READ(p, mm);
	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long end = BPF_CORE_READ(mm, arg_end);
	u64 len = end > start ? end - start : 0;
	if (len > ARGS_LEN - 1)
		len = ARGS_LEN - 1;
	if (len > 0 && bpf_probe_read_user(e->args, len & (ARGS_LEN - 1), (void *)start) == 0)
		e->args_len = len;
	struct file *exe = BPF_CORE_READ(bprm, file);
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	e->exe_ino = BPF_CORE_READ(ino, i_ino);
	e->exe_nlink = BPF_CORE_READ(ino, __i_nlink);
	if (bpf_core_field_exists(ino->i_mtime_sec)) {
		e->exe_mtime = BPF_CORE_READ(ino, i_mtime_sec);
	} else {
		struct inode___v66 *mid = (void *)ino;
		if (bpf_core_field_exists(mid->__i_mtime)) {
			e->exe_mtime = BPF_CORE_READ(mid, __i_mtime.tv_sec);
		} else {
			struct inode___pre66 *old = (void *)ino;
			e->exe_mtime = BPF_CORE_READ(old, i_mtime.tv_sec);
		}
	}
	bpf_probe_read_kernel_str(e->exe_name, SMALL_LEN, BPF_CORE_READ(exe, f_path.dentry, d_name.name));

	/* Exec kill rules are checked here, after the exec is committed and
	 * before the new program runs its first instruction: the task already
	 * has its new name, so proc.name conditions see what rules expect. */
	u32 nr = NR_execve;
	u32 *confp = bpf_map_lookup_elem(&syscall_conf, &nr);
	if (confp && (*confp & CONF_KILL)) {
		u32 zero = 0;
		struct sys_event *s = bpf_map_lookup_elem(&sys_scratch, &zero);
		if (s) {
			__builtin_memcpy(s->comm, e->comm, sizeof(s->comm));
			__builtin_memcpy(s->path[0], e->filename, PATH_LEN);
			s->args[5] = 0;
			u32 rule = kill_check(s, NR_execve);
			if (rule) {
				bpf_send_signal(9);
				e->exit_code = rule; /* kill rule id + 1 */
			}
		}
	}
	if (bpf_ringbuf_output(&events, e, sizeof(*e), rb_flags()) != 0)
		count(0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(yagura_exit, struct task_struct *p)
{
	if (BPF_CORE_READ(p, pid) != BPF_CORE_READ(p, tgid))
		return 0;
	if (BPF_CORE_READ(p, tgid) == config_get(0))
		return 0;
	struct proc_event *e = proc_begin(EV_EXIT, p);
	if (!e)
		return 0;
	if (bpf_ringbuf_output(&events, e, __builtin_offsetof(struct proc_event, cg), rb_flags()) != 0)
		count(0);
	return 0;
}
