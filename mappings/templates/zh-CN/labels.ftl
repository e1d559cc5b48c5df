<#-- 简体中文：订单状态的显示名称 -->
<#assign status = {"CREATED": "已创建", "CONFIRMED": "已确认", "BACKORDERED": "缺货待补", "PAID": "已付款",
  "ALLOCATED": "备货中", "SHIPPED": "已发货", "DELIVERED": "已送达", "COMPLETED": "已完成", "CANCELLED": "已取消",
  "REJECTED": "已拒绝"}>
<#assign methods = {"card": "银行卡", "prepaid": "预付", "invoice": "发票"}>
