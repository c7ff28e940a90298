// A realistic organisation for the demo, in the setting of the seed articles: a city bureau (包头),
// its district branches, stations and brigades, their service windows and the officers who staff them.

export interface DemoWindow {
  id: string;
  unitId: string;
  name: string;
  serviceTypes: string[];
  /** How well this window serves: shifts its ratings up or down (the demo's "truth"). */
  quality: number;
}

export const DEMO_UNITS = [
  { id: 'bt', name: '包头市公安局', parentId: null, kind: 'bureau' },
  { id: 'bt-kdl', name: '昆都仑区分局', parentId: 'bt', kind: 'branch' },
  { id: 'bt-qs', name: '青山区分局', parentId: 'bt', kind: 'branch' },
  { id: 'bt-dh', name: '东河区分局', parentId: 'bt', kind: 'branch' },
  { id: 'bt-jj', name: '交通警察支队', parentId: 'bt', kind: 'brigade' },
  { id: 'bt-kdl-szl', name: '沼潭派出所', parentId: 'bt-kdl', kind: 'station' },
  { id: 'bt-kdl-lyl', name: '林荫路派出所', parentId: 'bt-kdl', kind: 'station' },
  { id: 'bt-qs-xf', name: '幸福路派出所', parentId: 'bt-qs', kind: 'station' },
  { id: 'bt-qs-crj', name: '青山出入境服务大厅', parentId: 'bt-qs', kind: 'exit-entry' },
  { id: 'bt-dh-nmg', name: '南门外派出所', parentId: 'bt-dh', kind: 'station' },
  { id: 'bt-jj-cgs', name: '车辆管理所', parentId: 'bt-jj', kind: 'vehicle-admin' },
];

const HUZHENG = ['户籍办理', '身份证办理', '居住证办理'];
const CRJ = ['护照办理', '港澳通行证', '台湾通行证'];
const CGS = ['驾驶证业务', '机动车登记'];

export const DEMO_WINDOWS: DemoWindow[] = [
  { id: 'bt-kdl-szl-w1', unitId: 'bt-kdl-szl', name: '沼潭所户政1号窗口', serviceTypes: HUZHENG, quality: 0.6 },
  { id: 'bt-kdl-szl-w2', unitId: 'bt-kdl-szl', name: '沼潭所户政2号窗口', serviceTypes: HUZHENG, quality: 0.2 },
  { id: 'bt-kdl-lyl-w1', unitId: 'bt-kdl-lyl', name: '林荫路所综合窗口', serviceTypes: HUZHENG, quality: 0.4 },
  { id: 'bt-qs-xf-w1', unitId: 'bt-qs-xf', name: '幸福路所户政窗口', serviceTypes: HUZHENG, quality: -0.3 },
  { id: 'bt-qs-crj-w1', unitId: 'bt-qs-crj', name: '出入境1号窗口', serviceTypes: CRJ, quality: 0.7 },
  { id: 'bt-qs-crj-w2', unitId: 'bt-qs-crj', name: '出入境2号窗口', serviceTypes: CRJ, quality: 0.5 },
  { id: 'bt-dh-nmg-w1', unitId: 'bt-dh-nmg', name: '南门外所户政窗口', serviceTypes: HUZHENG, quality: 0.1 },
  { id: 'bt-jj-cgs-w1', unitId: 'bt-jj-cgs', name: '车管所驾驶证业务窗口', serviceTypes: CGS, quality: -0.1 },
  { id: 'bt-jj-cgs-w2', unitId: 'bt-jj-cgs', name: '车管所机动车登记窗口', serviceTypes: CGS, quality: 0.3 },
];

export const DEMO_OFFICERS = [
  { id: 'bt-o-001', unitId: 'bt-kdl-szl', name: '王建军' },
  { id: 'bt-o-002', unitId: 'bt-kdl-szl', name: '李秀英' },
  { id: 'bt-o-003', unitId: 'bt-kdl-lyl', name: '张海涛' },
  { id: 'bt-o-004', unitId: 'bt-qs-xf', name: '刘芳' },
  { id: 'bt-o-005', unitId: 'bt-qs-crj', name: '陈志强' },
  { id: 'bt-o-006', unitId: 'bt-qs-crj', name: '赵丽娟' },
  { id: 'bt-o-007', unitId: 'bt-dh-nmg', name: '孙国庆' },
  { id: 'bt-o-008', unitId: 'bt-jj-cgs', name: '周卫东' },
  { id: 'bt-o-009', unitId: 'bt-jj-cgs', name: '吴晓燕' },
];

/** Reasons and comments citizens leave on a terminal, by whether they were pleased. */
export const FEEDBACK = {
  good: { reasons: ['办事效率高', '态度热情', '一次办好', '解释耐心'], comments: ['民警很耐心，一次就办好了', '窗口服务很周到，点赞', '预约后几乎不用排队'] },
  bad: { reasons: ['等候时间长', '态度生硬', '材料要求不清', '多次跑腿'], comments: ['排队等了一个多小时', '材料清单和网上说的不一样，又跑了一趟', '希望周末也能办理'] },
};
