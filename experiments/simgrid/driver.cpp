/* migsim-simgrid-driver: the migsim side-by-side scenarios run in SimGrid 3.32.
 *
 * N identical VMs on host "src" (0) live-migrate at once to host "dst" (1)
 * through the plugin src/plugins/vm/VmLiveMigration.cpp (sg_vm_migrate). The
 * platform is built in code: two hosts joined by one shared link. Every VM runs
 * one endless computation at full core speed, so the plugin's dirty amount per
 * stage is (seconds of the stage) x migration speed x dirty intensity, capped
 * at the working set (90 % of RAM).
 *
 * Network model: SimGrid's default LV08 (bandwidth factor 0.97, latency
 * factor 13.01). Two defaults are switched off so both simulators model the
 * same thing (see experiments/simgrid/README.md):
 *   network/TCP-gamma:0      no TCP window bound (gamma / 2 latency)
 *   network/crosstraffic:0   no 5 % reverse-direction ACK flow on the shared link
 *
 * Writes migsim's migrations.csv columns that apply (one row per VM) to --out
 * (default stdout) and the wall time of engine->run() to stderr. No randomness.
 *
 * usage: driver [--vms N] [--memory-mib M] [--intensity X] [--link-bps B]
 *               [--latency S] [--mig-speed B] [--cores C] [--out FILE]
 *   --vms N          concurrent migrations (default 1)
 *   --memory-mib M   RAM per VM in MiB (default 1024)
 *   --intensity X    dirty-page intensity, share of the migration speed (default 0)
 *   --link-bps B     shared link bandwidth in bytes/s (default 125e6 = 1 Gbit/s)
 *   --latency S      link latency in seconds (default 0; LV08 multiplies it by 13.01)
 *   --mig-speed B    per-migration rate cap in bytes/s (default: --link-bps)
 */
#include <simgrid/plugins/live_migration.h>
#include <simgrid/s4u.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace sg4 = simgrid::s4u;

namespace {
struct Options {
  int vms            = 1;
  double memory_mib  = 1024;
  double intensity   = 0;
  double link_bps    = 125e6;
  double latency     = 0;
  double mig_speed   = -1;
  std::string out;
};

struct Row {
  double start = -1, end = -1, suspend = -1, resume = -1;
  int transfers    = 0; // stage 1 + stage-2 rounds + stage 3
  double bytes     = 0;
};

std::vector<Row> rows;
std::map<std::string, int> vm_index; // VM name -> VM id

[[noreturn]] void usage(const char* why)
{
  std::fprintf(stderr, "driver: %s\nusage: driver [--vms N] [--memory-mib M] [--intensity X] [--link-bps B] "
                       "[--latency S] [--mig-speed B] [--out FILE]\n", why);
  std::exit(2);
}

double number(const char* flag, const char* text, double lo)
{
  char* end = nullptr;
  double v  = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= lo))
    usage((std::string(flag) + ": expected a number >= " + std::to_string(lo) + ", got '" + text + "'").c_str());
  return v;
}

Options parse(int argc, char** argv)
{
  Options o;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    if (a.rfind("--cfg=", 0) == 0 || a.rfind("--log=", 0) == 0)
      continue; // SimGrid's own options, consumed by Engine
    if (i + 1 >= argc)
      usage((a + " needs a value").c_str());
    const char* v = argv[++i];
    if (a == "--vms")
      o.vms = static_cast<int>(number("--vms", v, 1));
    else if (a == "--memory-mib")
      o.memory_mib = number("--memory-mib", v, 1);
    else if (a == "--intensity")
      o.intensity = number("--intensity", v, 0);
    else if (a == "--link-bps")
      o.link_bps = number("--link-bps", v, 1);
    else if (a == "--latency")
      o.latency = number("--latency", v, 0);
    else if (a == "--mig-speed")
      o.mig_speed = number("--mig-speed", v, 1);
    else if (a == "--out")
      o.out = v;
    else
      usage(("unknown option " + a).c_str());
  }
  if (o.mig_speed < 0)
    o.mig_speed = o.link_bps;
  return o;
}

/* The VM id of a migration mailbox "__mbox_mig_src_dst:vm12(src-dst)", or -1. */
int vm_of_mailbox(const std::string& name)
{
  static const std::string prefix = "__mbox_mig_src_dst:";
  if (name.rfind(prefix, 0) != 0)
    return -1;
  auto paren = name.find('(', prefix.size());
  auto it    = vm_index.find(name.substr(prefix.size(), paren - prefix.size()));
  return it == vm_index.end() ? -1 : it->second;
}
} // namespace

int main(int argc, char** argv)
{
  Options o = parse(argc, argv);
  xbt_log_control_set("xbt_cfg.thres:warning"); // no "Configuration change" lines on stderr
  sg4::Engine e(&argc, argv);
  e.set_config("network/TCP-gamma:0");
  e.set_config("network/crosstraffic:0");
  sg_vm_live_migration_plugin_init();

  // The host speed cancels out of the dirty amount (dp_rate = mig_speed x intensity / host_speed). It is low so
  // that the endless computation (1e13 flops = 1e7 s) keeps its remaining amount exact to 1e-3 flops.
  const double host_speed = 1e6;
  auto* zone              = sg4::create_full_zone("zone");
  sg4::Host* src          = zone->create_host("src", host_speed)->set_core_count(o.vms)->seal();
  sg4::Host* dst          = zone->create_host("dst", host_speed)->set_core_count(o.vms)->seal();
  sg4::Link* link         = zone->create_link("link", o.link_bps)->set_latency(o.latency)->seal();
  zone->add_route(src->get_netpoint(), dst->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
  zone->seal();

  rows.resize(o.vms);
  const auto ram = static_cast<sg_size_t>(o.memory_mib * 1024 * 1024);
  std::vector<sg4::VirtualMachine*> vms;
  for (int i = 0; i < o.vms; i++) {
    std::string name = "vm" + std::to_string(i);
    vm_index[name]   = i;
    auto* vm         = src->create_vm(name, 1, ram);
    vm->start();
    // What sg_vm_create_migratable does, without its integer MiB/s and percent arguments.
    sg_vm_set_dirty_page_intensity(vm, o.intensity);
    sg_vm_set_working_set_memory(vm, static_cast<sg_size_t>(vm->get_ramsize() * 0.9));
    sg_vm_set_migration_speed(vm, o.mig_speed);
    vms.push_back(vm);
  }

  sg4::VirtualMachine::on_suspend_cb([](sg4::VirtualMachine const& vm) {
    rows[vm_index.at(vm.get_name())].suspend = sg4::Engine::get_clock();
  });
  sg4::VirtualMachine::on_resume_cb([](sg4::VirtualMachine const& vm) {
    rows[vm_index.at(vm.get_name())].resume = sg4::Engine::get_clock();
  });
  sg4::Comm::on_send_cb([](sg4::Comm const& c) {
    if (c.get_mailbox() == nullptr)
      return;
    int v = vm_of_mailbox(c.get_mailbox()->get_name());
    if (v >= 0) {
      rows[v].transfers += 1;
      rows[v].bytes += c.get_remaining(); // nothing sent yet: the whole size
    }
  });

  // The workers come first so their computations exist when tracking starts.
  for (auto* vm : vms)
    sg4::Actor::create("work-" + vm->get_name(), vm, [] { sg4::this_actor::execute(1e13); })->daemonize();
  for (int i = 0; i < o.vms; i++)
    sg4::Actor::create("migrate-" + vms[i]->get_name(), dst, [i, vm = vms[i], dst] {
      rows[i].start = sg4::Engine::get_clock();
      sg_vm_migrate(vm, dst);
      rows[i].end = sg4::Engine::get_clock();
    });

  auto t0 = std::chrono::steady_clock::now();
  e.run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  FILE* f = o.out.empty() ? stdout : std::fopen(o.out.c_str(), "w");
  if (f == nullptr) {
    std::perror(o.out.c_str());
    return 1;
  }
  std::fprintf(f, "vm_id,kind,policy,source_host,target_host,request_s,start_s,end_s,total_time_s,downtime_s,rounds,"
                  "bytes_sent\n");
  for (int i = 0; i < o.vms; i++) {
    const Row& r = rows[i];
    std::fprintf(f, "%d,live,simgrid,0,1,%.9f,%.9f,%.9f,%.9f,%.9f,%d,%.0f\n", i, r.start, r.start, r.end,
                 r.end - r.start, r.resume - r.suspend, r.transfers - 1, r.bytes);
  }
  if (f != stdout)
    std::fclose(f);
  std::fprintf(stderr, "wall_s %.6f\n", wall);
  return 0;
}
