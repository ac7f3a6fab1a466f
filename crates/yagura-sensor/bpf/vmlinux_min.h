/* Minimal kernel type definitions for CO-RE.
 *
 * Only the members the sensor reads are declared; libbpf-style CO-RE
 * relocations (preserve_access_index) let the loader find their real offsets
 * in the running kernel's BTF, so this header never has to match a kernel.
 * Written for yagura; not generated from any kernel.
 */
#ifndef YAGURA_VMLINUX_MIN_H
#define YAGURA_VMLINUX_MIN_H

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef int pid_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

struct bpf_raw_tracepoint_args {
	unsigned long long args[0];
};
typedef long long time64_t;

enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_LPM_TRIE = 11,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_F_NO_PREALLOC = 1,
	BPF_ANY = 0,
};

enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
	BPF_RB_AVAIL_DATA = 0,
};

#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)

struct pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax, ip, cs, flags, sp, ss;
};

typedef struct { u32 val; } kuid_t;
typedef struct { u32 val; } kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
	kuid_t euid;
	kgid_t egid;
};

struct qstr {
	const unsigned char *name;
};

struct super_block {
	unsigned long s_magic;
};

struct inode {
	struct super_block *i_sb;
	unsigned long i_ino;
	unsigned int __i_nlink;
	time64_t i_mtime_sec;
};

/* Kernels before 6.6 kept mtime in a timespec64 named i_mtime. */
struct timespec64 { time64_t tv_sec; long tv_nsec; };
struct inode___pre66 { struct timespec64 i_mtime; };
struct inode___v66 { struct timespec64 __i_mtime; };

struct dentry {
	struct qstr d_name;
	struct inode *d_inode;
	struct dentry *d_parent;
};

struct path {
	struct dentry *dentry;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
	void *private_data;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
	struct file *exe_file;
};

struct kernfs_node {
	const char *name;
	struct kernfs_node *__parent;
};
/* Before 6.15 the parent member was called parent. */
struct kernfs_node___pre615 { struct kernfs_node *parent; };

struct cgroup {
	struct kernfs_node *kn;
};

struct cgroup_subsys_state {
	struct cgroup *cgroup;
};

struct css_set {
	struct cgroup_subsys_state *subsys[12];
	struct cgroup *dfl_cgrp;
};

enum cgroup_subsys_id {
	cpu_cgrp_id = 1,
	pids_cgrp_id = 11,
};

struct task_struct {
	pid_t pid;
	pid_t tgid;
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	u64 start_time;
	u64 start_boottime;
	const struct cred *cred;
	char comm[16];
	struct files_struct *files;
	kuid_t loginuid;
	struct css_set *cgroups;
	struct mm_struct *mm;
};

struct linux_binprm {
	struct file *file;
	const char *filename;
};

struct in6_addr { u8 s6_addr[16]; };

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	u16 skc_num;
	unsigned short skc_family;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
};

struct sock {
	struct sock_common __sk_common;
	u16 sk_protocol;
	u16 sk_type;
};

struct socket {
	struct sock *sk;
};

struct open_how {
	u64 flags;
	u64 mode;
	u64 resolve;
};

#pragma clang attribute pop

#endif
